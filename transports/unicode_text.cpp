#include "transports/unicode_text.h"

#include <cstdint>

#include "transports/utf8_sequence.h"

namespace lkr {
namespace {

void append_utf16le_unit(std::string& out, std::uint32_t u) {
  out += static_cast<char>(u & 0xFF);
  out += static_cast<char>((u >> 8) & 0xFF);
}

void append_utf16le(std::string& out, char32_t cp) {
  if (cp >= 0x10000) {
    append_utf16le_unit(out, 0xD800 + ((cp - 0x10000) >> 10));
    append_utf16le_unit(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
  } else {
    append_utf16le_unit(out, cp);
  }
}

// The code point of the well-formed `n`-byte sequence at s[at] (utf8_sequence_length).
char32_t code_point_at(std::string_view s, std::size_t at, std::size_t n) {
  static constexpr unsigned char kLeadBits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t cp = static_cast<unsigned char>(s[at]) & kLeadBits[n];
  for (std::size_t k = 1; k < n; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[at + k]) & 0x3F);
  return cp;
}

std::uint32_t le16_at(std::string_view s, std::size_t at) {
  return static_cast<unsigned char>(s[at]) | (static_cast<unsigned char>(s[at + 1]) << 8);
}

}  // namespace

std::optional<std::vector<char32_t>> utf8_code_points(std::string_view utf8) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < utf8.size();) {
    std::size_t n = utf8_sequence_length(utf8, i);
    if (n == 0) return std::nullopt;
    out.push_back(code_point_at(utf8, i, n));
    i += n;
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string utf16le_from_code_points(const std::vector<char32_t>& cps) {
  std::string out;
  for (char32_t cp : cps) append_utf16le(out, cp);
  return out;
}

std::string utf16le_from_utf8(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      append_utf16le_unit(out, 0xFFFD);
      ++i;
      continue;
    }
    append_utf16le(out, code_point_at(s, i, n));
    i += n;
  }
  return out;
}

std::string utf8_from_utf16le(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i + 1 < s.size(); i += 2) {
    std::uint32_t u = le16_at(s, i);
    if (u >= 0xD800 && u < 0xDC00 && i + 3 < s.size()) {
      std::uint32_t lo = le16_at(s, i + 2);
      if (lo >= 0xDC00 && lo < 0xE000) {
        append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        i += 2;
        continue;
      }
    }
    append_utf8(out, u >= 0xD800 && u < 0xE000 ? 0xFFFD : u);
  }
  return out;
}

}  // namespace lkr
