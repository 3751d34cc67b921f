// The cryptographic primitives of NTLMv2 (MS-NLMP 3.3.2, 3.4): MD4, RC4, MD5, HMAC-MD5,
// NTOWFv2, UTF-16LE. MD5 and HMAC-MD5 come from OpenSSL's default provider; MD4 and RC4
// are implemented here because OpenSSL 3 moved them to its "legacy" provider, which
// Debian does not load by default (Debian's own python3 cannot hash MD4 without an
// OPENSSL_CONF that activates it): a product should not depend on a system crypto policy
// to talk to Windows. Byte strings are std::string (raw bytes, not text).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lkr::ntlm {

std::string md4(std::string_view data);
std::string md5(std::string_view data);
std::string hmac_md5(std::string_view key, std::string_view data);

// An RC4 key stream that keeps its state between calls (NTLM seals every message of a
// connection with one continuing stream per direction).
class Rc4 {
 public:
  explicit Rc4(std::string_view key);
  std::string apply(std::string_view data);

 private:
  uint8_t s_[256];
  uint8_t i_ = 0, j_ = 0;
};

// NTOWFv2(Password, User, UserDom) = HMAC_MD5(MD4(UNICODE(Password)),
// UNICODE(Uppercase(User) + UserDom)). Uppercase covers ASCII letters only.
std::string nt_owf_v2(const std::string& password, const std::string& user,
                      const std::string& domain);

// Equal in time independent of where they differ.
bool same_bytes(std::string_view a, std::string_view b);

// n bytes from OpenSSL's CSPRNG (throws if it fails).
std::string random_bytes(size_t n);

std::string le32(uint32_t v);
uint32_t read_le32(std::string_view bytes, size_t at);
uint16_t read_le16(std::string_view bytes, size_t at);

}  // namespace lkr::ntlm
