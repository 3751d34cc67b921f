#include "controller/terminal_text.h"

#include <cstdio>

namespace lkr {
namespace {

void append_escaped(std::string& out, const char* format, unsigned value) {
  char escaped[8];
  std::snprintf(escaped, sizeof escaped, format, value);
  out += escaped;
}

// The length of the valid UTF-8 sequence starting at text[i] (lead byte >= 0x80), 0 if none.
size_t utf8_length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  size_t length = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  unsigned second = byte(i + 1);
  // Overlong forms, surrogates and code points past U+10FFFF.
  if (c == 0xE0 && second < 0xA0) return 0;
  if (c == 0xED && second >= 0xA0) return 0;
  if (c == 0xF0 && second < 0x90) return 0;
  if (c == 0xF4 && second >= 0x90) return 0;
  return length;
}

}  // namespace

std::string terminal_safe(std::string_view text, Lines lines) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      bool kept = (c >= 0x20 && c != 0x7F) || (lines == Lines::many && (c == '\n' || c == '\t'));
      if (kept)
        out += static_cast<char>(c);
      else
        append_escaped(out, "\\x%02x", c);
      ++i;
      continue;
    }
    size_t length = utf8_length(text, i);
    if (length == 0) {
      append_escaped(out, "\\x%02x", c);
      ++i;
    } else if (c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      append_escaped(out, "\\u%04x", static_cast<unsigned char>(text[i + 1]));  // C1
      i += 2;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace lkr
