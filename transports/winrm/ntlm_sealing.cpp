#include "transports/winrm/ntlm_sealing.h"

namespace lkr::ntlm {
namespace {

std::string derived(const std::string& exported, const char* magic) {
  return md5(exported + std::string(magic) + std::string(1, '\0'));
}

const char* kClientSign = "session key to client-to-server signing key magic constant";
const char* kServerSign = "session key to server-to-client signing key magic constant";
const char* kClientSeal = "session key to client-to-server sealing key magic constant";
const char* kServerSeal = "session key to server-to-client sealing key magic constant";

}  // namespace

// 128-bit sealing keys only (flag::key_128 is required by both sides).
NtlmSealing::NtlmSealing(const NtlmSessionKeys& keys, Side side)
    : key_exch_((keys.flags & flag::key_exch) != 0),
      out_sign_key_(
          derived(keys.exported_session_key, side == Side::client ? kClientSign : kServerSign)),
      in_sign_key_(
          derived(keys.exported_session_key, side == Side::client ? kServerSign : kClientSign)),
      out_rc4_(
          derived(keys.exported_session_key, side == Side::client ? kClientSeal : kServerSeal)),
      in_rc4_(
          derived(keys.exported_session_key, side == Side::client ? kServerSeal : kClientSeal)) {}

std::string NtlmSealing::signature(const std::string& sign_key, Rc4& rc4, uint32_t seq,
                                   const std::string& message) {
  std::string checksum = hmac_md5(sign_key, le32(seq) + message).substr(0, 8);
  if (key_exch_) checksum = rc4.apply(checksum);
  return le32(1) + checksum + le32(seq);
}

winrm::SessionSealer::Sealed NtlmSealing::seal(const std::string& message) {
  Sealed s;
  s.data = out_rc4_.apply(message);  // the message first: the checksum continues the stream
  s.header = signature(out_sign_key_, out_rc4_, out_seq_++, message);
  return s;
}

std::optional<std::string> NtlmSealing::unseal(const std::string& signature_bytes,
                                               const std::string& data) {
  if (signature_bytes.size() != 16) return std::nullopt;
  std::string message = in_rc4_.apply(data);
  std::string expected = signature(in_sign_key_, in_rc4_, in_seq_++, message);
  if (!same_bytes(expected, signature_bytes)) return std::nullopt;
  return message;
}

}  // namespace lkr::ntlm
