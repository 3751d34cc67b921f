#include "transports/winrm/http_session.h"

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <strings.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "transports/base64.h"
#include "transports/transport.h"
#include "transports/winrm/channel_binding.h"
#include "transports/winrm/encrypted_message.h"
#include "transports/winrm/ntlm_auth.h"

namespace lkr::winrm {
namespace {

using Kind = TransportError::Kind;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// A reply body kept up to `limit` bytes; past it the transfer stops (a short count makes
// libcurl end it with CURLE_WRITE_ERROR), so no more of it is read, let alone held.
struct BodySink {
  std::string* body = nullptr;
  size_t limit = 0;
  bool over = false;
};

size_t append_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  size_t n = size * count;
  if (n > sink->limit - std::min(sink->limit, sink->body->size())) {
    sink->over = true;
    return 0;
  }
  sink->body->append(data, n);
  return n;
}

// A request body handed to libcurl piece by piece, so that it cannot be sent twice.
struct Upload {
  const std::string* body = nullptr;
  size_t sent = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t n = std::min(size * count, u->body->size() - u->sent);
  std::memcpy(buffer, u->body->data() + u->sent, n);
  u->sent += n;
  return n;
}

// libcurl rewinds a body only to send the request again on a fresh connection after a
// reused one closed without a reply. Once any of the body went out the server may have
// acted on it (a Command may be running): refused, so the loss is reported (dropped)
// instead of the request being repeated behind the caller's back.
int rewind_upload(void* user, curl_off_t offset, int origin) {
  auto* u = static_cast<Upload*>(user);
  return offset == 0 && origin == SEEK_SET && u->sent == 0 ? CURL_SEEKFUNC_OK
                                                           : CURL_SEEKFUNC_CANTSEEK;
}

// The server's certificate, taken at the status line of each response: libcurl hands
// out the connection's SSL only during a transfer (CURLINFO_TLS_SSL_PTR), and this way
// it is the certificate of the very connection that answered. The last status line is
// the node's own (a proxy's CONNECT answer, if any, comes before it).
struct CertificateCapture {
  CURL* curl = nullptr;
  std::string* der = nullptr;
};

size_t capture_certificate(char* line, size_t size, size_t count, void* user) {
  auto* capture = static_cast<CertificateCapture*>(user);
  size_t n = size * count;
  if (n < 5 || std::strncmp(line, "HTTP/", 5) != 0) return n;
  capture->der->clear();
  curl_tlssessioninfo* tls = nullptr;
  if (curl_easy_getinfo(capture->curl, CURLINFO_TLS_SSL_PTR, &tls) != CURLE_OK || tls == nullptr ||
      tls->backend != CURLSSLBACKEND_OPENSSL || tls->internals == nullptr)
    return n;
  X509* cert = SSL_get0_peer_certificate(static_cast<SSL*>(tls->internals));
  int length = cert != nullptr ? i2d_X509(cert, nullptr) : 0;
  if (length > 0) {
    capture->der->resize(static_cast<size_t>(length));
    auto* out = reinterpret_cast<unsigned char*>(capture->der->data());
    i2d_X509(cert, &out);
  }
  return n;
}

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

const char* const kCertificateProfile =
    "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/mutual";

Kind kind_of(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
      return Kind::unreachable;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
      return Kind::host_key;
    case CURLE_SSL_CERTPROBLEM:  // our own client certificate or key
      return Kind::auth;
    case CURLE_OPERATION_TIMEDOUT:
      return Kind::timeout;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_SEND_FAIL_REWIND:  // rewind_upload refused to send a request again
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
    case Kind::auth:
      return ". Check ansible_winrm_cert_pem and ansible_winrm_cert_key_pem (readable PEM files, "
             "a key that belongs to the certificate)";
    default:
      return "";
  }
}

}  // namespace

HttpSession::HttpSession(const WinrmOptions& options) : options_(options) {
  global_init();
  url_ = std::string(to_string(options.scheme)) + "://" + bracketed(options.host) + ":" +
         std::to_string(options.port) + options.path;
}

HttpSession::~HttpSession() { reset(); }

void HttpSession::reset() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
  curl_ = nullptr;
  sealer_.reset();  // NTLM and Kerberos authenticate a connection: a new one needs a handshake
}

bool HttpSession::encrypts() const {
  if (!authenticates_connection(options_.auth)) return false;
  // auto: over http only (TLS protects https already).
  return options_.message_encryption == MessageEncryption::always ||
         (options_.message_encryption == MessageEncryption::automatic &&
          options_.scheme == WinrmScheme::http);
}

void HttpSession::configure() {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  // Only the inventory's proxy; never one from the environment: the run decides alone.
  curl_easy_setopt(c, CURLOPT_PROXY, options_.proxy.c_str());
  switch (options_.auth) {
    case WinrmAuth::basic:
      curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(c, CURLOPT_USERNAME, options_.user.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
      break;
    case WinrmAuth::certificate:
      curl_easy_setopt(c, CURLOPT_SSLCERT, options_.cert_pem.c_str());
      curl_easy_setopt(c, CURLOPT_SSLKEY, options_.cert_key_pem.c_str());
      break;
    case WinrmAuth::ntlm:
    case WinrmAuth::kerberos:
      break;  // our own Authorization headers (libcurl's NTLM keeps no session key to seal with)
  }
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_trust_path.empty())
    curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_trust_path.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
}

HttpSession::Exchange HttpSession::perform(const std::string& body, const std::string& content_type,
                                           const std::string& authorization,
                                           std::chrono::milliseconds timeout) {
  if (curl_ == nullptr) {
    curl_ = curl_easy_init();
    if (curl_ == nullptr) throw TransportError(Kind::protocol, "cannot create an HTTP handle");
    configure();
  }
  CURL* c = static_cast<CURL*>(curl_);
  Exchange reply;
  curl_slist* headers = nullptr;
  if (!content_type.empty())
    headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  if (!authorization.empty())
    headers = curl_slist_append(headers, ("Authorization: " + authorization).c_str());
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  Upload upload{&body, 0};
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, rewind_upload);
  curl_easy_setopt(c, CURLOPT_SEEKDATA, &upload);
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(std::max<long long>(1, timeout.count())));
  BodySink sink{&reply.body, reply_limit_ != 0 ? reply_limit_ : default_reply_limit(), false};
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  CertificateCapture capture{c, &reply.peer_certificate};
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, binds_channel() ? capture_certificate : nullptr);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, binds_channel() ? &capture : nullptr);
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, nullptr);
  curl_slist_free_all(headers);
  long opened = 0;
  curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &opened);
  connections_ += opened;
  long request_bytes = 0;
  curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &request_bytes);
  count_round_trips(opened, request_bytes > 0);
  if (sink.over) {
    reset();  // the unread rest is still on the wire: this connection cannot serve again
    throw ReplyTooLarge("WinRM " + url_ + " (" + std::string(to_string(options_.auth)) +
                        "): the reply grew past " + std::to_string(sink.limit) +
                        " bytes; the rest was not read");
  }
  if (rc != CURLE_OK) {
    Kind k = kind_of(rc);
    std::string why = error[0] != '\0' ? error : curl_easy_strerror(rc);
    if (rc == CURLE_SEND_FAIL_REWIND) why = "the connection closed after the request, unanswered";
    reset();  // the connection's state is unknown: start clean
    throw TransportError(k, "WinRM " + url_ + ": " + why + advice(k));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  char* type = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr)
    reply.content_type = type;
  curl_header* h = nullptr;
  for (size_t i = 0; curl_easy_header(c, "WWW-Authenticate", i, CURLH_HEADER, -1, &h) == CURLHE_OK;
       ++i) {
    std::string value = h->value;
    for (const char* scheme : {"Negotiate ", "NTLM ", "Kerberos "}) {
      size_t n = std::strlen(scheme);
      if (value.size() > n && strncasecmp(value.c_str(), scheme, n) == 0)
        reply.negotiate_token = value.substr(n);
    }
    if (i + 1 >= h->amount) break;
  }
  return reply;
}

// Each new connection costs the TCP handshake and, over https, the TLS one (one round
// trip with TLS 1.3; a TLS 1.2 server takes one more, not counted). Each request that went
// out costs one: a request, then its reply (libcurl sends no Expect: 100-continue, and
// never pipelines). A request that failed before it could be sent (no connection, TLS
// refused) costs none.
void HttpSession::count_round_trips(long connections_opened, bool request_sent) {
  long long per_connection = options_.scheme == WinrmScheme::https ? 2 : 1;
  round_trips_ += connections_opened * per_connection + (request_sent ? 1 : 0);
}

size_t HttpSession::default_reply_limit() const {
  return 2 * static_cast<size_t>(std::max(options_.max_envelope_size, 0)) + 64 * 1024;
}

HttpReply HttpSession::post(const std::string& envelope, std::chrono::milliseconds timeout,
                            size_t max_reply_bytes) {
  reply_limit_ = max_reply_bytes;
  if (authenticates_connection(options_.auth)) return post_negotiated(envelope, timeout);
  // Certificate auth: the TLS client certificate proves who we are; this header (MS-WSMV
  // 2.2.4.1, the mutual-TLS security profile) tells the service to map it to a user.
  std::string authorization =
      options_.auth == WinrmAuth::certificate ? kCertificateProfile : std::string();
  Exchange r = perform(envelope, "application/soap+xml;charset=UTF-8", authorization, timeout);
  return {r.status, std::move(r.body)};
}

bool HttpSession::binds_channel() const {
  return authenticates_connection(options_.auth) && options_.scheme == WinrmScheme::https &&
         options_.send_cbt;
}

std::string HttpSession::channel_bindings_of(const Exchange& e) {
  if (!binds_channel()) return "";
  std::string why = "the server's TLS certificate was not seen";
  if (!e.peer_certificate.empty()) {
    try {
      return tls_server_end_point(e.peer_certificate);
    } catch (const ChannelBindingError& error) {
      why = error.what();
    }
  }
  reset();
  throw TransportError(Kind::auth, "WinRM " + url_ + " (" + std::string(to_string(options_.auth)) +
                                       "): cannot bind the login to the TLS connection: " + why +
                                       ". If the node does not require channel binding, set "
                                       "ansible_winrm_send_cbt: false");
}

std::optional<HttpReply> HttpSession::authenticate_ntlm(std::chrono::milliseconds timeout) {
  ++authentications_;
  ntlm::NtlmClient client(options_.user, options_.password);
  Exchange challenge = perform("", "", "Negotiate " + base64_encode(client.negotiate()), timeout);
  auto token = base64_decode(challenge.negotiate_token);
  if (challenge.status != 401 || !token || ntlm::message_type(*token) != 2) {
    reset();
    if (challenge.status == 401)  // no NTLM challenge: Negotiate/NTLM is not enabled there
      return HttpReply{401, ""};
    throw TransportError(Kind::protocol,
                         "WinRM " + url_ + " answered the NTLM negotiation with HTTP " +
                             std::to_string(challenge.status) + " instead of a challenge");
  }
  std::string bindings = channel_bindings_of(challenge);
  std::string authenticate;
  try {
    authenticate = client.authenticate(*token, bindings);
  } catch (const ntlm::NtlmError& e) {
    reset();
    throw TransportError(Kind::auth, "WinRM " + url_ + " (ntlm): " + e.what());
  }
  Exchange done = perform("", "", "Negotiate " + base64_encode(authenticate), timeout);
  if (done.status < 200 || done.status > 299) {
    reset();
    return HttpReply{done.status, std::move(done.body)};
  }
  sealer_ = std::make_unique<ntlm::NtlmSealing>(client.keys(), ntlm::NtlmSealing::Side::client);
  return std::nullopt;
}

// NTLM or Kerberos: one handshake per connection, then every envelope sealed (when
// message encryption is on) with the connection's sealer.
HttpReply HttpSession::post_negotiated(const std::string& envelope,
                                       std::chrono::milliseconds timeout) {
  bool encrypt = encrypts();
  for (int attempt = 0;; ++attempt) {
    bool fresh = sealer_ == nullptr;
    if (fresh) {
      auto refused = options_.auth == WinrmAuth::ntlm ? authenticate_ntlm(timeout)
                                                      : authenticate_kerberos(timeout);
      if (refused) return *refused;
    }
    Exchange r = encrypt
                     ? perform(encrypt_body(*sealer_, envelope), kEncryptedContentType, "", timeout)
                     : perform(envelope, "application/soap+xml;charset=UTF-8", "", timeout);
    // A 401 on a connection authenticated earlier: the server dropped the connection and
    // libcurl opened a new one. Authenticate it once and send again.
    if (r.status == 401 && !fresh && attempt == 0) {
      reset();
      continue;
    }
    if (!encrypt) {
      if (r.status == 401) reset();
      return {r.status, std::move(r.body)};
    }
    // With message encryption on, only a sealed reply proves it comes from the server we
    // authenticated: anything in the clear (a fault, a 200, any status) may be forged by
    // whoever sits on the path, so none of it is believed.
    if (!is_encrypted_content_type(r.content_type)) {
      reset();
      throw TransportError(
          r.status == 401 ? Kind::auth : Kind::protocol,
          "WinRM " + url_ + " (" + std::string(to_string(options_.auth)) +
              ", message encryption on): the reply (HTTP " + std::to_string(r.status) +
              ", Content-Type " + (r.content_type.empty() ? std::string("none") : r.content_type) +
              ") is not encrypted, refused: a WinRM service that sealed the request seals its " +
              "answer, so this one may be forged by something between here and the node");
    }
    std::string why;
    auto plain = decrypt_body(*sealer_, r.body, why);
    if (!plain) {
      reset();
      throw TransportError(Kind::protocol,
                           "WinRM " + url_ + " (" + std::string(to_string(options_.auth)) +
                               "): the encrypted reply cannot be read: " + why + "; refused");
    }
    return {r.status, std::move(*plain)};
  }
}

void HttpSession::kerberos_failure(const krb::GssError& e) const {
  std::string advice;
  switch (krb::classify(e)) {
    case krb::Problem::wrong_password:
      advice = "the KDC refused the password: check the password given for the host";
      break;
    case krb::Problem::unknown_user:
      advice = "the KDC does not know this user: check ansible_user (user or user@REALM)";
      break;
    case krb::Problem::wrong_realm:
      advice =
          "no KDC is known for the user's realm: check the realm in ansible_user "
          "(user@REALM) and the [realms] of krb5.conf (KRB5_CONFIG)";
      break;
    case krb::Problem::no_ticket:
      advice =
          "no Kerberos ticket and no password: run kinit for the user, or give the "
          "password (--password-env or --ask-pass)";
      break;
    case krb::Problem::kdc_unreachable:
      advice =
          "the KDC cannot be reached: check the kdc of the realm in krb5.conf "
          "(KRB5_CONFIG) and that it runs";
      break;
    case krb::Problem::other:
      advice = options_.password.empty()
                   ? "no usable Kerberos ticket: run kinit for the user, or give the password "
                     "(--password-env or --ask-pass); check krb5.conf (KRB5_CONFIG)"
                   : "check ansible_user, the password and krb5.conf (KRB5_CONFIG)";
      break;
  }
  throw TransportError(Kind::auth, "WinRM " + url_ + " (kerberos) as \"" + options_.user +
                                       "\": " + e.what() + ". " + advice);
}

std::optional<HttpReply> HttpSession::authenticate_kerberos(std::chrono::milliseconds timeout) {
  ++authentications_;
  // The first Kerberos token already carries the bindings, so the connection, and the
  // certificate, must exist before it: a request without a token opens it (the server
  // answers 401), as requests-kerberos' first request does.
  std::string bindings = binds_channel() ? channel_bindings_of(perform("", "", "", timeout)) : "";
  std::unique_ptr<krb::GssContext> context;
  std::string token;
  try {
    context = krb::GssContext::initiator(
        options_.user, options_.password,
        options_.kerberos_service + "@" +
            (options_.kerberos_hostname.empty() ? options_.host : options_.kerberos_hostname),
        bindings);
    token = context->step("");
  } catch (const krb::GssError& e) {
    reset();
    kerberos_failure(e);
  }
  Exchange done = perform("", "", "Negotiate " + base64_encode(token), timeout);
  if (done.status < 200 || done.status > 299) {
    reset();
    return HttpReply{done.status, std::move(done.body)};
  }
  // Mutual authentication: the server proves it holds the service key.
  auto answer = base64_decode(done.negotiate_token);
  try {
    if (!answer || answer->empty()) throw krb::GssError("no mutual-authentication token", 0, 0);
    context->step(*answer);
    if (!context->established()) throw krb::GssError("the handshake did not complete", 0, 0);
  } catch (const krb::GssError& e) {
    reset();
    throw TransportError(Kind::auth, "WinRM " + url_ + " (kerberos): the server did not prove " +
                                         "its identity (mutual authentication): " + e.what());
  }
  sealer_ = std::move(context);
  return std::nullopt;
}

}  // namespace lkr::winrm
