// Kerberos for WinRM through MIT GSSAPI: the client's security context (a ticket for
// HTTP@host, SPNEGO under "Authorization: Negotiate", mutual authentication), the lab
// endpoint's acceptor (keys from a keytab), and WinRM's Kerberos message sealing
// (MS-WSMV 2.2.9.1.2: gss_wrap_iov with HEADER, DATA, PADDING, the trailer folded into
// the header, as Windows' EncryptMessage and pykerberos' authGSSClientWrapIov do).
//
// Why SPNEGO rather than the bare krb5 mechanism under Negotiate: "Negotiate" is SPNEGO
// (RFC 4559), it is what Windows' own WinRM client sends, and an acceptor that offers
// several mechanisms can choose; MIT's SPNEGO carries the krb5 AP-REQ optimistically, so
// it costs no extra round trip. The lab's acceptor takes both (pywinrm sends bare krb5).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "transports/winrm/session_sealer.h"

namespace lkr::krb {

// A failed GSSAPI call: what was being done, and gss_display_status' text of both codes.
struct GssError : std::runtime_error {
  GssError(const std::string& what, uint32_t major, uint32_t minor);
  uint32_t major, minor;
};

// gss_display_status of the major and the minor (mechanism) code, "; "-joined.
std::string status_text(uint32_t major, uint32_t minor);

// What a failure to get or use a ticket means, for the operator.
enum class Problem { wrong_password, unknown_user, wrong_realm, no_ticket, kdc_unreachable, other };
Problem classify(const GssError& e);

class GssContext final : public winrm::SessionSealer {
 public:
  // The client side for `service`, "SERVICE@host" (GSS_C_NT_HOSTBASED_SERVICE; WinRM's
  // is HTTP@<address> unless the inventory names another). `user`:
  // "name" or "name@REALM" (without a realm, krb5.conf's default_realm). With a
  // `password` the ticket-granting ticket is got in memory
  // (gss_acquire_cred_with_password: no kinit, no file); without one the default
  // credential cache is used (a ticket from kinit). `channel_bindings`: the application
  // data of the TLS channel (channel_binding.h; empty: none), which the authenticator
  // then carries. Throws GssError.
  static std::unique_ptr<GssContext> initiator(const std::string& user, const std::string& password,
                                               const std::string& service,
                                               const std::string& channel_bindings = "");
  // The server side: any service key of `keytab` (empty: the default keytab). With
  // `channel_bindings`, a client whose authenticator carries other bindings is refused
  // (GSS_S_BAD_BINDINGS); one that carries none is let through with channel_bound()
  // false (MIT's rule), so requiring them is the caller's policy.
  static std::unique_ptr<GssContext> acceptor(const std::string& keytab,
                                              const std::string& channel_bindings = "");
  ~GssContext() override;
  GssContext(const GssContext&) = delete;
  GssContext& operator=(const GssContext&) = delete;

  // One step of the handshake: the peer's token in (empty for the initiator's first),
  // the token to send out (may be empty). Throws GssError.
  std::string step(const std::string& token);
  bool established() const { return established_; }
  // Acceptor, once established: the client's principal ("root@LAB.TEST").
  std::string peer_name() const;
  // Acceptor, once established: the client's bindings matched the acceptor's
  // (GSS_C_CHANNEL_BOUND_FLAG).
  bool channel_bound() const { return channel_bound_; }

  Sealed seal(const std::string& message) override;
  std::optional<std::string> unseal(const std::string& header, const std::string& data) override;

 private:
  GssContext() = default;
  struct Handles;
  std::unique_ptr<Handles> h_;
  bool initiator_ = false, established_ = false, channel_bound_ = false;
  std::string channel_bindings_;  // application data; empty: GSS_C_NO_CHANNEL_BINDINGS
};

}  // namespace lkr::krb
