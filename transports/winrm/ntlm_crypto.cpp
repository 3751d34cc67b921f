#include "transports/winrm/ntlm_crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <utility>

#include "transports/secret_text.h"
#include "transports/unicode_text.h"

namespace lkr::ntlm {
namespace {

uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

// RFC 1320 compression of one 64-byte block.
void md4_block(uint32_t h[4], const unsigned char* p) {
  uint32_t x[16];
  for (int i = 0; i < 16; ++i)
    x[i] = uint32_t(p[4 * i]) | uint32_t(p[4 * i + 1]) << 8 | uint32_t(p[4 * i + 2]) << 16 |
           uint32_t(p[4 * i + 3]) << 24;
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
  auto f = [](uint32_t x, uint32_t y, uint32_t z) { return (x & y) | (~x & z); };
  auto g = [](uint32_t x, uint32_t y, uint32_t z) { return (x & y) | (x & z) | (y & z); };
  auto hh = [](uint32_t x, uint32_t y, uint32_t z) { return x ^ y ^ z; };
  static const int r1[4] = {3, 7, 11, 19}, r2[4] = {3, 5, 9, 13}, r3[4] = {3, 9, 11, 15};
  static const int o2[16] = {0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15};
  static const int o3[16] = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
  auto step = [](uint32_t& w, uint32_t v, int s) { w = rotl(w + v, s); };
  for (int i = 0; i < 16; ++i) {
    step(a, f(b, c, d) + x[i], r1[i % 4]);
    uint32_t t = d;
    d = c, c = b, b = a, a = t;
  }
  for (int i = 0; i < 16; ++i) {
    step(a, g(b, c, d) + x[o2[i]] + 0x5A827999u, r2[i % 4]);
    uint32_t t = d;
    d = c, c = b, b = a, a = t;
  }
  for (int i = 0; i < 16; ++i) {
    step(a, hh(b, c, d) + x[o3[i]] + 0x6ED9EBA1u, r3[i % 4]);
    uint32_t t = d;
    d = c, c = b, b = a, a = t;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d;
}

}  // namespace

std::string md4(std::string_view data) {
  uint32_t h[4] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u};
  std::string m(data);
  uint64_t bits = uint64_t(data.size()) * 8;
  m += '\x80';
  while (m.size() % 64 != 56) m += '\0';
  for (int i = 0; i < 8; ++i) m += static_cast<char>((bits >> (8 * i)) & 0xFF);
  for (size_t i = 0; i < m.size(); i += 64)
    md4_block(h, reinterpret_cast<const unsigned char*>(m.data() + i));
  std::string out;
  for (uint32_t w : h) out += le32(w);
  return out;
}

std::string md5(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out, &n, EVP_md5(), nullptr) != 1)
    throw std::runtime_error("MD5 is not available from OpenSSL");
  return std::string(reinterpret_cast<char*>(out), n);
}

std::string hmac_md5(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (HMAC(EVP_md5(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &n) == nullptr)
    throw std::runtime_error("HMAC-MD5 is not available from OpenSSL");
  return std::string(reinterpret_cast<char*>(out), n);
}

Rc4::Rc4(std::string_view key) {
  for (int i = 0; i < 256; ++i) s_[i] = static_cast<uint8_t>(i);
  uint8_t j = 0;
  for (int i = 0; i < 256; ++i) {
    j = static_cast<uint8_t>(j + s_[i] + static_cast<uint8_t>(key[i % key.size()]));
    std::swap(s_[i], s_[j]);
  }
}

std::string Rc4::apply(std::string_view data) {
  std::string out(data);
  for (char& c : out) {
    i_ = static_cast<uint8_t>(i_ + 1);
    j_ = static_cast<uint8_t>(j_ + s_[i_]);
    std::swap(s_[i_], s_[j_]);
    c = static_cast<char>(static_cast<uint8_t>(c) ^ s_[static_cast<uint8_t>(s_[i_] + s_[j_])]);
  }
  return out;
}

std::string nt_owf_v2(const std::string& password, const std::string& user,
                      const std::string& domain) {
  std::string upper = user;
  for (char& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  // The UTF-16 password and its MD4 (the NT hash, as good as the password) are wiped.
  std::string utf16 = utf16le_from_utf8(password);
  WipeOnExit wipe_utf16(utf16);
  std::string nt_hash = md4(utf16);
  WipeOnExit wipe_hash(nt_hash);
  return hmac_md5(nt_hash, utf16le_from_utf8(upper + domain));
}

bool same_bytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    throw std::runtime_error("no random bytes from OpenSSL");
  return out;
}

std::string le32(uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return out;
}

uint32_t read_le32(std::string_view b, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

uint16_t read_le16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) |
                               static_cast<unsigned char>(b[at + 1]) << 8);
}

}  // namespace lkr::ntlm
