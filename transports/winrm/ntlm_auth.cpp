#include "transports/winrm/ntlm_auth.h"

#include <chrono>
#include <optional>
#include <string_view>

#include "transports/unicode_text.h"
#include "transports/winrm/channel_binding.h"
#include "transports/winrm/ntlm_crypto.h"

namespace lkr::ntlm {
namespace {

const std::string kSignature("NTLMSSP\0", 8);
// Windows 10.0 build 17763, NTLM revision 15: what the Version field carries.
const std::string kVersion("\x0a\x00\x63\x45\x00\x00\x00\x0f", 8);

constexpr uint32_t kClientFlags = kRequiredFlags | flag::request_target | flag::ntlm |
                                  flag::always_sign | flag::target_info | flag::version |
                                  flag::key_56;

enum AvId : uint16_t {
  av_eol = 0,
  av_nb_computer = 1,
  av_nb_domain = 2,
  av_dns_computer = 3,
  av_dns_domain = 4,
  av_flags = 6,
  av_timestamp = 7,
  av_channel_bindings = 10  // MsvAvChannelBindings (MS-NLMP 2.2.2.1), channel_binding.h
};
constexpr uint32_t kAvFlagMicPresent = 0x2;

std::string le16(uint16_t v) { return {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)}; }

// A security buffer (length, allocated length, offset) pointing into `payload`, which
// starts at `base` within the message.
std::string field(const std::string& bytes, size_t base, std::string& payload) {
  std::string f = le16(static_cast<uint16_t>(bytes.size())) +
                  le16(static_cast<uint16_t>(bytes.size())) +
                  le32(static_cast<uint32_t>(base + payload.size()));
  payload += bytes;
  return f;
}

// The bytes a security buffer at `at` points to; throws when it points outside.
std::string read_field(const std::string& msg, size_t at) {
  if (at + 8 > msg.size()) throw NtlmError("NTLM message truncated");
  uint16_t len = read_le16(msg, at);
  uint32_t offset = read_le32(msg, at + 4);
  if (len == 0) return "";
  if (offset > msg.size() || len > msg.size() - offset)
    throw NtlmError("NTLM message field points outside the message");
  return msg.substr(offset, len);
}

std::string av_pair(uint16_t id, const std::string& value) {
  return le16(id) + le16(static_cast<uint16_t>(value.size())) + value;
}

// The AV pairs of a target info, without the terminating MsvAvEOL; nullopt if malformed.
std::optional<std::string> av_value(const std::string& info, uint16_t wanted) {
  for (size_t at = 0; at + 4 <= info.size();) {
    uint16_t id = read_le16(info, at), len = read_le16(info, at + 2);
    if (id == av_eol) return std::nullopt;
    if (at + 4 + len > info.size()) throw NtlmError("NTLM target info is malformed");
    if (id == wanted) return info.substr(at + 4, len);
    at += 4u + len;
  }
  return std::nullopt;
}

std::string without_eol(const std::string& info) {
  size_t at = 0;
  while (at + 4 <= info.size()) {
    uint16_t id = read_le16(info, at), len = read_le16(info, at + 2);
    if (id == av_eol) break;
    at += 4u + len;
  }
  return info.substr(0, std::min(at, info.size()));
}

std::string filetime_now() {
  using namespace std::chrono;
  // 100 ns intervals since 1601-01-01.
  uint64_t t =
      static_cast<uint64_t>(
          duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count() / 100) +
      116444736000000000ull;
  return le32(static_cast<uint32_t>(t)) + le32(static_cast<uint32_t>(t >> 32));
}

void check_header(const std::string& msg, uint32_t type, size_t min_size) {
  if (msg.size() < min_size || msg.compare(0, 8, kSignature) != 0 || read_le32(msg, 8) != type)
    throw NtlmError("not an NTLM type " + std::to_string(type) + " message");
}

}  // namespace

int message_type(const std::string& token) {
  if (token.size() < 12 || token.compare(0, 8, kSignature) != 0) return 0;
  uint32_t t = read_le32(token, 8);
  return t >= 1 && t <= 3 ? static_cast<int>(t) : 0;
}

V2Response ntlmv2_response(const std::string& key, const std::string& server_challenge,
                           const std::string& client_challenge, const std::string& timestamp,
                           const std::string& target_info) {
  std::string temp = std::string("\x01\x01", 2) + std::string(6, '\0') + timestamp +
                     client_challenge + std::string(4, '\0') + target_info + std::string(4, '\0');
  V2Response r;
  r.nt_proof = hmac_md5(key, server_challenge + temp);
  r.nt_response = r.nt_proof + temp;
  r.session_base_key = hmac_md5(key, r.nt_proof);
  return r;
}

NtlmClient::NtlmClient(const std::string& user, SecretText password)
    : password_(std::move(password)) {
  size_t slash = user.find('\\');
  if (slash == std::string::npos) {
    user_ = user;
  } else {
    domain_ = user.substr(0, slash);
    user_ = user.substr(slash + 1);
  }
}

std::string NtlmClient::negotiate() {
  // No domain or workstation supplied: offsets point past the 40-byte header.
  negotiate_message_ = kSignature + le32(1) + le32(kClientFlags) + le16(0) + le16(0) + le32(40) +
                       le16(0) + le16(0) + le32(40) + kVersion;
  return negotiate_message_;
}

std::string NtlmClient::authenticate(const std::string& challenge,
                                     const std::string& channel_bindings) {
  check_header(challenge, 2, 48);
  uint32_t offered = read_le32(challenge, 20);
  if ((offered & kRequiredFlags) != kRequiredFlags)
    throw NtlmError("the server does not offer NTLMv2 with 128-bit sealing and key exchange");
  std::string server_challenge = challenge.substr(24, 8);
  std::string target_info = read_field(challenge, 40);
  uint32_t flags = offered & kClientFlags;

  auto timestamp = av_value(target_info, av_timestamp);
  // With the server's timestamp present the client must add a MIC (MS-NLMP 3.1.5.1.2).
  bool mic = timestamp.has_value();
  std::string info = without_eol(target_info);
  if (mic) info += av_pair(av_flags, le32(kAvFlagMicPresent));
  // In the target info the NTLMv2 response is computed over, so the proof covers it.
  if (!channel_bindings.empty())
    info += av_pair(av_channel_bindings, winrm::ntlm_channel_bindings_hash(channel_bindings));
  info += av_pair(av_eol, "");

  // The password's hash opens this account as the password does: wiped once used.
  std::string key = nt_owf_v2(password_, user_, domain_);
  WipeOnExit wipe_key(key);
  V2Response v2 = ntlmv2_response(key, server_challenge, random_bytes(8),
                                  timestamp ? *timestamp : filetime_now(), info);
  keys_.flags = flags;
  keys_.exported_session_key = random_bytes(16);
  std::string encrypted_key = Rc4(v2.session_base_key).apply(keys_.exported_session_key);
  std::string lm_response(24, '\0');  // Z(24) when a timestamp is present; unused otherwise

  constexpr size_t kHeader = 88;  // with Version and MIC
  std::string payload;
  std::string fields = field(lm_response, kHeader, payload);
  fields += field(v2.nt_response, kHeader, payload);
  fields += field(utf16le_from_utf8(domain_), kHeader, payload);
  fields += field(utf16le_from_utf8(user_), kHeader, payload);
  fields += field("", kHeader, payload);  // workstation
  fields += field(encrypted_key, kHeader, payload);
  std::string msg =
      kSignature + le32(3) + fields + le32(flags) + kVersion + std::string(16, '\0') + payload;
  if (mic) {
    std::string code = hmac_md5(keys_.exported_session_key, negotiate_message_ + challenge + msg);
    msg.replace(72, 16, code);
  }
  return msg;
}

NtlmAcceptor::NtlmAcceptor(std::string user, std::string password, std::string computer_name)
    : user_(std::move(user)),
      password_(std::move(password)),
      computer_name_(std::move(computer_name)) {}

std::string NtlmAcceptor::challenge(const std::string& negotiate) {
  check_header(negotiate, 1, 16);
  negotiate_message_ = negotiate;
  uint32_t asked = read_le32(negotiate, 12);
  // Answer with what the client asked for out of what we speak; authenticate() refuses
  // a client that did not ask for the required ones.
  uint32_t flags = (asked & kClientFlags) | flag::target_info | flag::target_type_server |
                   flag::request_target | flag::unicode | flag::version;
  server_challenge_ = random_bytes(8);
  std::string name = utf16le_from_utf8(computer_name_);
  std::string info = av_pair(av_nb_domain, name) + av_pair(av_nb_computer, name) +
                     av_pair(av_dns_domain, name) + av_pair(av_dns_computer, name) +
                     av_pair(av_timestamp, filetime_now()) + av_pair(av_eol, "");
  constexpr size_t kHeader = 56;
  std::string payload;
  std::string target_name = field(name, kHeader, payload);
  std::string target_info = field(info, kHeader, payload);
  challenge_message_ = kSignature + le32(2) + target_name + le32(flags) + server_challenge_ +
                       std::string(8, '\0') + target_info + kVersion + payload;
  return challenge_message_;
}

bool NtlmAcceptor::accept(const std::string& msg) {
  keys_ = {};
  client_channel_bindings_.clear();
  if (challenge_message_.empty()) return false;
  try {
    check_header(msg, 3, 64);
    uint32_t flags = read_le32(msg, 60);
    if ((flags & kRequiredFlags) != kRequiredFlags) return false;
    std::string nt_response = read_field(msg, 20);
    std::string domain = utf8_from_utf16le(read_field(msg, 28));
    std::string user = utf8_from_utf16le(read_field(msg, 36));
    std::string encrypted_key = read_field(msg, 52);
    if (nt_response.size() < 16 + 28 || encrypted_key.size() != 16) return false;
    // User names compare without case, as Windows' do (ASCII here).
    auto fold = [](std::string s) {
      for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      return s;
    };
    if (fold(user) != fold(user_)) return false;
    std::string key = nt_owf_v2(password_, user, domain);
    std::string proof = nt_response.substr(0, 16);
    std::string temp = nt_response.substr(16);
    if (!same_bytes(proof, hmac_md5(key, server_challenge_ + temp))) return false;
    std::string session_base_key = hmac_md5(key, proof);
    std::string exported = Rc4(session_base_key).apply(encrypted_key);
    // The client's AV pairs start after 0x0101, Z(6), time, client challenge, Z(4).
    std::string client_info = temp.substr(28);
    auto av_flags_value = av_value(client_info, av_flags);
    if (av_flags_value && av_flags_value->size() == 4 &&
        (read_le32(*av_flags_value, 0) & kAvFlagMicPresent)) {
      if (msg.size() < 88) return false;
      std::string zeroed = msg;
      zeroed.replace(72, 16, std::string(16, '\0'));
      std::string code = hmac_md5(exported, negotiate_message_ + challenge_message_ + zeroed);
      if (!same_bytes(code, msg.substr(72, 16))) return false;
    }
    keys_.flags = flags;
    keys_.exported_session_key = exported;
    client_channel_bindings_ = av_value(client_info, av_channel_bindings).value_or("");
    challenge_message_.clear();  // one AUTHENTICATE per CHALLENGE
    return true;
  } catch (const NtlmError&) {
    return false;
  }
}

}  // namespace lkr::ntlm
