// Channel binding tokens (CBT, Windows' "Extended Protection for Authentication"): over
// https, NTLM and Kerberos carry a digest of the TLS server certificate they saw, so a
// login relayed by a man in the middle (who must present a certificate of his own to
// the client) does not match the certificate the real server holds, and is refused.
//
// The facts, and whom we followed for the byte layouts:
// - RFC 5929 4.1, "tls-server-end-point": the application data is the ASCII prefix
//   "tls-server-end-point:" followed by the hash of the server's leaf certificate (DER),
//   the hash being the one of the certificate's signature algorithm, SHA-256 when that
//   is MD5 or SHA-1.
// - The bindings travel as a gss_channel_bindings_struct (RFC 2744 3.11), serialised
//   little-endian as: initiator address type (4 bytes), initiator address length (4) and
//   bytes, acceptor address type (4), acceptor address length (4) and bytes, application
//   data length (4) and bytes; WinRM clients leave both addresses empty with type 0
//   (GSS_C_AF_UNSPEC). This is jborean93's pyspnego GssChannelBindings.pack()
//   (src/spnego/channel_bindings.py) and ntlm-auth's GssChannelBindingsStruct.get_data()
//   (ntlm_auth/gss_channel_bindings.py, used by requests-ntlm and pywinrm); the
//   certificate hash follows requests-ntlm's _get_certificate_hash().
// - NTLM (MS-NLMP 2.2.2.1): the AV pair MsvAvChannelBindings (AvId 0x000A) holds the MD5
//   of that serialisation, inside the target info the NTLMv2 response covers; 16 zero
//   bytes, or no such pair, mean "no bindings".
// - Kerberos: the same struct goes to gss_init_sec_context / gss_accept_sec_context,
//   whose krb5 mechanism puts its MD5 into the authenticator's checksum (RFC 4121 4.1.1).
#pragma once

#include <stdexcept>
#include <string>

namespace lkr::winrm {

struct ChannelBindingError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// RFC 5929's application data for the certificate `der`. Throws ChannelBindingError when
// `der` is not a certificate, or its signature algorithm has no hash (Ed25519, Ed448:
// RFC 5929 defines no binding for them).
std::string tls_server_end_point(const std::string& der);

// The gss_channel_bindings_struct serialisation of `application_data` (no addresses).
std::string gss_channel_bindings_bytes(const std::string& application_data);

// The value of NTLM's MsvAvChannelBindings for `application_data`: MD5 of the above.
std::string ntlm_channel_bindings_hash(const std::string& application_data);

}  // namespace lkr::winrm
