#include "transports/winrm/http_session.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#include "transports/transport.h"

namespace lkr::winrm {
namespace {

using Kind = TransportError::Kind;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

Kind kind_of(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
      return Kind::unreachable;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CONNECT_ERROR:
      return Kind::host_key;
    case CURLE_OPERATION_TIMEDOUT:
      return Kind::timeout;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      return Kind::dropped;
    default:
      return Kind::protocol;
  }
}

std::string advice(Kind k) {
  switch (k) {
    case Kind::unreachable:
      return ". Check ansible_host/ansible_port/ansible_winrm_scheme and that WinRM listens there";
    case Kind::host_key:
      return ". The node's TLS certificate was not accepted: set ansible_winrm_ca_trust_path to "
             "the CA that issued it (and check the name or address it was issued for)";
    default:
      return "";
  }
}

}  // namespace

HttpSession::HttpSession(const WinrmOptions& options) : options_(options) {
  global_init();
  url_ = options.scheme + "://" + bracketed(options.host) + ":" + std::to_string(options.port) +
         options.path;
}

HttpSession::~HttpSession() { reset(); }

void HttpSession::reset() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
  curl_ = nullptr;
}

void HttpSession::configure() {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // no environment proxy: the run decides alone
  curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
  curl_easy_setopt(c, CURLOPT_USERNAME, options_.user.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_trust_path.empty())
    curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_trust_path.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
}

HttpReply HttpSession::post(const std::string& envelope, std::chrono::milliseconds timeout) {
  if (curl_ == nullptr) {
    curl_ = curl_easy_init();
    if (curl_ == nullptr) throw TransportError(Kind::protocol, "cannot create an HTTP handle");
    configure();
  }
  CURL* c = static_cast<CURL*>(curl_);
  HttpReply reply;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/soap+xml;charset=UTF-8");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, envelope.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(envelope.size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(std::max<long long>(1, timeout.count())));
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  curl_slist_free_all(headers);
  long opened = 0;
  curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &opened);
  connections_ += opened;
  if (rc != CURLE_OK) {
    Kind k = kind_of(rc);
    std::string why = error[0] != '\0' ? error : curl_easy_strerror(rc);
    reset();  // the connection's state is unknown: start clean
    throw TransportError(k, "WinRM " + url_ + ": " + why + advice(k));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

}  // namespace lkr::winrm
