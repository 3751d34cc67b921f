#include "tests/lab/winrm/request_handler.h"

#include <strings.h>

#include <algorithm>
#include <cstring>

#include "transports/base64.h"
#include "transports/winrm/channel_binding.h"
#include "transports/winrm/encrypted_message.h"

namespace lab::winrm {
namespace {

// Constant time over the longer of the two, so the comparison leaks no prefix length.
bool same_secret(const std::string& a, const std::string& b) {
  size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < n; ++i)
    diff |= static_cast<unsigned char>((i < a.size() ? a[i] : 0) ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

bool starts_with_word(const std::string& s, const char* word) {
  size_t n = strlen(word);
  return s.size() > n && strncasecmp(s.c_str(), word, n) == 0 && s[n] == ' ';
}

const char* kCertificateProfile =
    "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/mutual";
const char* kSoapType = "Content-Type: application/soap+xml;charset=UTF-8\r\n";

}  // namespace

std::string unencrypted_refusal_fault() {
  return fault_envelope(
      "", "w:AccessDenied", "5",
      "The WS-Management service cannot process the request because the request is "
      "unencrypted and the service does not allow unencrypted traffic over HTTP "
      "(AllowUnencrypted = false). Encrypt the message (HTTP-SPNEGO-session-encrypted) or "
      "use HTTPS.");
}

RequestHandler::RequestHandler(ShellService& service, const Credentials& credentials, bool tls,
                               std::string tls_client_name, std::string channel_bindings)
    : service_(service),
      credentials_(credentials),
      tls_(tls),
      tls_client_name_(std::move(tls_client_name)),
      channel_bindings_(std::move(channel_bindings)) {}

// MS-NLMP 3.2.5.1.2 and Windows' levels: 16 zero bytes count as no bindings.
bool RequestHandler::ntlm_bindings_pass(const std::string& given) const {
  if (!tls_ || credentials_.cbt == CbtHardening::none) return true;
  bool absent = given.empty() || given == std::string(16, '\0');
  if (absent) return credentials_.cbt == CbtHardening::relaxed;
  return same_secret(given, lkr::winrm::ntlm_channel_bindings_hash(channel_bindings_));
}

std::string RequestHandler::kerberos_bindings() const {
  return tls_ && credentials_.cbt != CbtHardening::none ? channel_bindings_ : "";
}

RequestHandler::Response RequestHandler::unauthorized(const std::string& extra) const {
  std::string offers = extra.empty() ? "WWW-Authenticate: Negotiate\r\n" : extra;
  offers += "WWW-Authenticate: Basic realm=\"WSMAN\"\r\n";
  return {http_response(401, "Unauthorized", offers, ""), true};
}

std::optional<RequestHandler::Response> RequestHandler::authenticate(const HttpRequest& r) {
  auto h = r.header("authorization");
  if (!h) {
    if (sealer_) return std::nullopt;  // the connection is authenticated
    return unauthorized();
  }
  if (strcasecmp(h->c_str(), kCertificateProfile) == 0) {
    if (tls_ && !tls_client_name_.empty() &&
        strcasecmp(tls_client_name_.c_str(), credentials_.user.c_str()) == 0)
      return std::nullopt;
    return unauthorized();
  }
  if (starts_with_word(*h, "Basic")) {
    auto decoded = lkr::base64_decode(h->substr(6));
    if (decoded && same_secret(*decoded, credentials_.user + ":" + credentials_.password))
      return std::nullopt;
    return unauthorized();
  }
  std::string scheme = starts_with_word(*h, "Negotiate")  ? "Negotiate"
                       : starts_with_word(*h, "NTLM")     ? "NTLM"
                       : starts_with_word(*h, "Kerberos") ? "Kerberos"
                                                          : "";
  if (scheme.empty()) return unauthorized();
  sealer_.reset();  // a new handshake replaces whatever the connection had
  authenticated_by_.clear();
  auto token = lkr::base64_decode(h->substr(scheme.size() + 1));
  int type = token ? lkr::ntlm::message_type(*token) : 0;
  if (token && !token->empty() && type == 0 && scheme != "NTLM")
    return accept_kerberos(scheme, *token);
  if (type == 1) {
    pending_ = std::make_unique<lkr::ntlm::NtlmAcceptor>(credentials_.user, credentials_.password,
                                                         credentials_.computer_name);
    try {
      std::string challenge = pending_->challenge(*token);
      return unauthorized("WWW-Authenticate: " + scheme + " " + lkr::base64_encode(challenge) +
                          "\r\n");
    } catch (const lkr::ntlm::NtlmError&) {
      pending_.reset();
      return unauthorized();
    }
  }
  if (type == 3 && pending_ && pending_->accept(*token) &&
      ntlm_bindings_pass(pending_->client_channel_bindings())) {
    sealer_ = std::make_unique<lkr::ntlm::NtlmSealing>(pending_->keys(),
                                                       lkr::ntlm::NtlmSealing::Side::server);
    authenticated_by_ = "ntlm";
    pending_.reset();
    return std::nullopt;
  }
  pending_.reset();
  return unauthorized();
}

std::optional<RequestHandler::Response> RequestHandler::accept_kerberos(const std::string& scheme,
                                                                        const std::string& token) {
  if (credentials_.keytab.empty()) return unauthorized();  // no KDC in this lab
  std::unique_ptr<lkr::krb::GssContext> context = std::move(pending_kerberos_);
  try {
    // Bindings other than ours fail here (GSS_S_BAD_BINDINGS); none are checked below.
    if (!context)
      context = lkr::krb::GssContext::acceptor(credentials_.keytab, kerberos_bindings());
    std::string out = context->step(token);
    std::string answer = "WWW-Authenticate: " + scheme + " " + lkr::base64_encode(out) + "\r\n";
    if (!context->established()) {  // SPNEGO asked for another leg
      pending_kerberos_ = std::move(context);
      return unauthorized(answer);
    }
    // The ticket is for the lab's user: "user@REALM", the user part without case.
    std::string peer = context->peer_name();
    size_t at = peer.rfind('@');
    std::string user = peer.substr(0, at),
                realm = at == std::string::npos ? "" : peer.substr(at + 1);
    if (strcasecmp(user.c_str(), credentials_.user.c_str()) != 0 ||
        (!credentials_.realm.empty() && realm != credentials_.realm))
      return unauthorized();
    if (tls_ && credentials_.cbt == CbtHardening::strict && !context->channel_bound())
      return unauthorized();
    sealer_ = std::move(context);
    authenticated_by_ = "kerberos";
    mutual_header_ = answer;
    return std::nullopt;
  } catch (const lkr::krb::GssError&) {
    return unauthorized();  // a bad, expired or replayed ticket, or one for another key
  }
}

RequestHandler::Response RequestHandler::soap(const HttpRequest& r, const std::string& body) {
  std::string type = r.header("content-type").value_or("");
  if (lkr::winrm::is_encrypted_content_type(type)) {
    Response broken{http_response(400, "Bad Request", "Connection: close\r\n", ""), false};
    if (!sealer_) return broken;
    std::string why;
    auto envelope = lkr::winrm::decrypt_body(*sealer_, body, why);
    // A body that does not unseal leaves the two sides' sequence numbers (and NTLM's RC4
    // streams) apart: the connection is over.
    if (!envelope) return broken;
    SoapReply s = service_.handle(*envelope);
    // The answer names the protocol the request named (Kerberos or SPNEGO).
    std::string protocol = lkr::winrm::encrypted_protocol_of(type);
    std::string sealed = lkr::winrm::encrypt_body(*sealer_, s.body, protocol);
    return {http_response(s.status, s.status == 200 ? "OK" : "Internal Server Error",
                          "Content-Type: " + lkr::winrm::encrypted_content_type(protocol) + "\r\n",
                          sealed),
            true};
  }
  if (type.rfind("application/soap+xml", 0) != 0)
    return {http_response(415, "Unsupported Media Type", "", ""), true};
  if (sealer_ && !tls_)
    return {http_response(400, "Bad Request", kSoapType, unencrypted_refusal_fault()), true};
  SoapReply s = service_.handle(body);
  return {
      http_response(s.status, s.status == 200 ? "OK" : "Internal Server Error", kSoapType, s.body),
      true};
}

RequestHandler::Response RequestHandler::handle(const std::optional<HttpRequest>& r,
                                                const std::string& body) {
  if (!r) return {http_response(400, "Bad Request", "Connection: close\r\n", ""), false};
  Response out;
  if (r->target != "/wsman") {
    out = {http_response(404, "Not Found", "", ""), true};
  } else if (r->method != "POST") {
    out = {http_response(405, "Method Not Allowed", "Allow: POST\r\n", ""), true};
  } else if (auto refused = authenticate(*r)) {
    out = *refused;
  } else if (body.empty()) {
    out = {http_response(200, "OK", "", ""), true};  // ends an NTLM handshake, as Windows
  } else {
    out = soap(*r, body);
  }
  if (!mutual_header_.empty()) {  // after the status line: the server's Kerberos proof
    size_t eol = out.bytes.find("\r\n");
    out.bytes.insert(eol + 2, mutual_header_);
    mutual_header_.clear();
  }
  out.keep_alive = out.keep_alive && r->keep_alive();
  return out;
}

}  // namespace lab::winrm
