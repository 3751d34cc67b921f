// NTLMv2 authentication (MS-NLMP) as WinRM uses it inside HTTP "Negotiate"/"NTLM"
// headers: the client side (NtlmClient: NEGOTIATE, then AUTHENTICATE for the server's
// CHALLENGE) and the acceptor side (NtlmAcceptor, used by the lab's WinRM endpoint),
// sharing one implementation so that each side is tested against the other and both
// against pywinrm's ntlm-auth and MS-NLMP's test vectors.
//
// Why our own NTLM on OpenSSL rather than gss-ntlmssp through GSSAPI: WinRM message
// encryption needs the 16-byte NTLM signature and the sealed bytes as separate pieces
// (MS-WSMV 2.2.9.1.1), the acceptor of gss-ntlmssp needs a system-wide mech.d entry plus
// an NTLM_USER_FILE in its environment, and Debian 12 ships OpenSSL 3 without MD4/RC4 by
// default; the whole of NTLMv2 with sealing is a few hundred lines over HMAC-MD5.
// Only NTLMv2 with extended session security, 128-bit keys and key exchange is spoken
// (what every Windows since Vista negotiates); LM and NTLMv1 are refused.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "transports/secret_text.h"

namespace lkr::ntlm {

struct NtlmError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace flag {
constexpr uint32_t unicode = 0x00000001, request_target = 0x00000004, sign = 0x00000010,
                   seal = 0x00000020, ntlm = 0x00000200, always_sign = 0x00008000,
                   target_type_server = 0x00020000, extended_session_security = 0x00080000,
                   target_info = 0x00800000, version = 0x02000000, key_128 = 0x20000000,
                   key_exch = 0x40000000, key_56 = 0x80000000;
}  // namespace flag

// What both sides insist on.
constexpr uint32_t kRequiredFlags = flag::unicode | flag::sign | flag::seal |
                                    flag::extended_session_security | flag::key_128 |
                                    flag::key_exch;

// The NTLMv2 response computation of MS-NLMP 3.3.2 (exposed for the spec's test vectors).
struct V2Response {
  std::string nt_proof;          // NTProofStr, 16 bytes
  std::string nt_response;       // NTProofStr + temp
  std::string session_base_key;  // 16 bytes
};
V2Response ntlmv2_response(const std::string& response_key_nt, const std::string& server_challenge,
                           const std::string& client_challenge, const std::string& timestamp,
                           const std::string& target_info);

// The session that a completed authentication leaves: what sealing needs.
struct NtlmSessionKeys {
  uint32_t flags = 0;
  std::string exported_session_key;
};

class NtlmClient {
 public:
  // `user` may be "DOMAIN\user"; otherwise the domain is empty (a local account).
  NtlmClient(const std::string& user, SecretText password);

  std::string negotiate();
  // Throws NtlmError when the challenge is malformed or offers less than kRequiredFlags.
  // `channel_bindings`: the application data of the TLS channel the login goes over
  // (channel_binding.h; empty: none), bound into the NTLMv2 response as
  // MsvAvChannelBindings.
  std::string authenticate(const std::string& challenge, const std::string& channel_bindings = "");
  const NtlmSessionKeys& keys() const { return keys_; }

 private:
  std::string user_, domain_;
  SecretText password_;
  std::string negotiate_message_;
  NtlmSessionKeys keys_;
};

class NtlmAcceptor {
 public:
  NtlmAcceptor(std::string user, std::string password, std::string computer_name);

  // Throws NtlmError for a malformed NEGOTIATE.
  std::string challenge(const std::string& negotiate);
  // True when the AUTHENTICATE proves the password of the configured user (and its MIC,
  // when it has one, is right); false for anything else.
  bool accept(const std::string& authenticate);
  const NtlmSessionKeys& keys() const { return keys_; }
  // After accept(): the MsvAvChannelBindings value the client's NTLMv2 response carried
  // (covered by its proof, so genuine), empty when it carried none. Whether it must be
  // there and match is the server's policy (Windows' CbtHardeningLevel).
  const std::string& client_channel_bindings() const { return client_channel_bindings_; }

 private:
  std::string user_, password_, computer_name_;
  std::string negotiate_message_, challenge_message_, server_challenge_;
  NtlmSessionKeys keys_;
  std::string client_channel_bindings_;
};

// "NTLMSSP\0" message type (1, 2, 3), or 0 when `token` is not an NTLM message.
int message_type(const std::string& token);

}  // namespace lkr::ntlm
