// One client connection's HTTP requests at the lab's WinRM endpoint: authentication as
// Windows' WinRM service does it and the body's way in and out, around the shell
// service. Basic is checked on every request; NTLM ("Authorization: Negotiate" or
// "NTLM" with a raw NTLM token, as pywinrm and our client send) authenticates the
// connection once, after which bodies over plain HTTP must be sealed
// (multipart/encrypted, MS-WSMV 2.2.9.1): an unsealed SOAP body there is refused with
// HTTP 400 and a WS-Management fault, as Windows refuses it with AllowUnencrypted false.
// Certificate auth (HTTPS): the request names the mutual-TLS security profile and the
// connection's client certificate, issued by the lab's CA, names the user (its CN).
// Kerberos (when the node has a keytab): "Authorization: Negotiate" with an SPNEGO or a
// bare krb5 token (what pywinrm sends), or "Authorization: Kerberos", accepted through
// GSSAPI with the node's HTTP/<address> key; the reply carries the mutual-authentication
// token in WWW-Authenticate; the connection is then authenticated and, over HTTP, bodies
// must be sealed (gss_wrap_iov, MS-WSMV 2.2.9.1.2) as with NTLM.
// Over HTTPS, NTLM and Kerberos logins must carry the channel binding of the endpoint's
// own certificate (transports/winrm/channel_binding.h) as Windows' CbtHardeningLevel
// asks: Strict (the lab's default) refuses a login without it or with another one with
// 401; Relaxed refuses only another one; None does not look.
#pragma once

#include <memory>
#include <string>

#include "tests/lab/winrm/http_message.h"
#include "tests/lab/winrm/shell_service.h"
#include "transports/winrm/kerberos_auth.h"
#include "transports/winrm/ntlm_auth.h"
#include "transports/winrm/ntlm_sealing.h"

namespace lab::winrm {

// WinRM's Service\Auth\CbtHardeningLevel (Extended Protection for Authentication).
enum class CbtHardening { none, relaxed, strict };

struct Credentials {
  std::string user, password;
  std::string computer_name = "LABNODE";  // what the NTLM challenge names
  // Kerberos: the keytab holding the node's HTTP/<address> key (empty: no Kerberos), and
  // the realm the user's principal must be in (user@realm; empty: any realm).
  std::string keytab = "", realm = "";
  CbtHardening cbt = CbtHardening::strict;  // over HTTPS
};

class RequestHandler {
 public:
  // `tls_client_name`: the CN of a client certificate the lab's CA verified (empty: none).
  // `channel_bindings`: over TLS, RFC 5929's application data for the endpoint's own
  // certificate, which NTLM and Kerberos logins must carry (Credentials::cbt).
  RequestHandler(ShellService& service, const Credentials& credentials, bool tls,
                 std::string tls_client_name = "", std::string channel_bindings = "");

  struct Response {
    std::string bytes;  // the whole HTTP response
    bool keep_alive = true;
  };
  // `request` nullopt: the request head did not parse.
  Response handle(const std::optional<HttpRequest>& request, const std::string& body);

  bool ntlm_authenticated() const { return authenticated_by_ == "ntlm"; }
  bool kerberos_authenticated() const { return authenticated_by_ == "kerberos"; }

 private:
  Response unauthorized(const std::string& extra_headers = "") const;
  // nullopt: go on to the body; otherwise the response to send.
  std::optional<Response> authenticate(const HttpRequest& r);
  Response soap(const HttpRequest& r, const std::string& body);
  std::optional<Response> accept_kerberos(const std::string& scheme, const std::string& token);
  // Whether an NTLM login that carried MsvAvChannelBindings `given` (empty: none) passes.
  bool ntlm_bindings_pass(const std::string& given) const;
  // The bindings a Kerberos acceptor is given ("" when not checked).
  std::string kerberos_bindings() const;

  ShellService& service_;
  const Credentials& credentials_;
  bool tls_;
  std::string tls_client_name_, channel_bindings_;
  std::unique_ptr<lkr::ntlm::NtlmAcceptor> pending_;        // between CHALLENGE and AUTHENTICATE
  std::unique_ptr<lkr::krb::GssContext> pending_kerberos_;  // a handshake of several legs
  // Once the connection is authenticated: NTLM's sealing or the Kerberos context.
  std::unique_ptr<lkr::winrm::SessionSealer> sealer_;
  std::string authenticated_by_;  // "ntlm", "kerberos", or "" before
  std::string mutual_header_;     // the WWW-Authenticate line the next response carries
};

// The fault Windows answers an unsealed body with over HTTP.
std::string unencrypted_refusal_fault();

}  // namespace lab::winrm
