// The one definition of well-formed UTF-8 the product uses (RFC 3629: no overlong forms,
// no UTF-16 surrogates, nothing past U+10FFFF), for the output decoder, the parsers'
// clean-text check, the audit trail's file names and command-line lengths alike. Header-only:
// tasks/ and the audit trail use it without linking the transports.
#pragma once

#include <cstddef>
#include <string_view>

namespace lkr {

// Length (1-4) of the well-formed UTF-8 sequence starting at s[at], or 0 when none does.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t at = 0) {
  if (at >= s.size()) return 0;
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[at + k]); };
  unsigned char b0 = byte(0);
  if (b0 < 0x80) return 1;
  std::size_t n = b0 >= 0xC2 && b0 <= 0xDF   ? 2
                  : b0 >= 0xE0 && b0 <= 0xEF ? 3
                  : b0 >= 0xF0 && b0 <= 0xF4 ? 4
                                             : 0;
  if (n == 0 || s.size() - at < n) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(k) & 0xC0) != 0x80) return 0;
  unsigned char b1 = byte(1);
  if (b0 == 0xE0 && b1 < 0xA0) return 0;   // overlong
  if (b0 == 0xED && b1 >= 0xA0) return 0;  // UTF-16 surrogate
  if (b0 == 0xF0 && b1 < 0x90) return 0;   // overlong
  if (b0 == 0xF4 && b1 >= 0x90) return 0;  // above U+10FFFF
  return n;
}

// UTF-16 code units of UTF-8 text, as Windows measures a command line: one per sequence,
// two for a 4-byte one (a surrogate pair). A byte that starts no well-formed sequence
// counts one, as the U+FFFD it becomes.
inline std::size_t utf16_length(std::string_view utf8) {
  std::size_t units = 0;
  for (std::size_t at = 0; at < utf8.size();) {
    std::size_t n = utf8_sequence_length(utf8, at);
    units += n == 4 ? 2 : 1;
    at += n == 0 ? 1 : n;
  }
  return units;
}

}  // namespace lkr
