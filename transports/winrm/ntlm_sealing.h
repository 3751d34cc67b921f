// NTLM message confidentiality and integrity (MS-NLMP 3.4.3 to 3.4.4 with extended session
// security): GSS_WrapEx/GSS_UnwrapEx of one direction pair of a connection. Each side
// seals with its own RC4 stream and signing key, and the sequence numbers count the
// messages of the connection in each direction, so messages must be unsealed in order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "transports/winrm/ntlm_auth.h"
#include "transports/winrm/ntlm_crypto.h"
#include "transports/winrm/session_sealer.h"

namespace lkr::ntlm {

class NtlmSealing final : public winrm::SessionSealer {
 public:
  enum class Side { client, server };
  NtlmSealing(const NtlmSessionKeys& keys, Side side);

  // header: the 16-byte signature (version 1, encrypted checksum, sequence number);
  // data: the RC4-sealed message, as long as the message.
  Sealed seal(const std::string& message) override;
  // The message, or nullopt when the signature does not match (tampered, out of order,
  // or another key): the caller must then drop the connection.
  std::optional<std::string> unseal(const std::string& signature, const std::string& data) override;

 private:
  std::string signature(const std::string& sign_key, Rc4& rc4, uint32_t seq,
                        const std::string& message);

  bool key_exch_;
  std::string out_sign_key_, in_sign_key_;
  Rc4 out_rc4_, in_rc4_;
  uint32_t out_seq_ = 0, in_seq_ = 0;
};

}  // namespace lkr::ntlm
