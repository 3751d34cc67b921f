#include "controller/display_width.h"

namespace lkr {
namespace {

struct Range {
  char32_t first, last;
};

// Unicode's East Asian Width W and F ranges, merged where adjacent (UAX #11).
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4},
    {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F2FF}, {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

bool is_wide(char32_t c) {
  for (const Range& r : kWide)
    if (c >= r.first && c <= r.last) return true;
  return false;
}

// The code point starting at text[i] and its length in bytes (1 for a stray byte).
std::size_t decode(std::string_view text, std::size_t i, char32_t& cp) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (length == 1 || i + length > text.size()) {
    cp = c;
    return 1;
  }
  cp = c & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      cp = c;
      return 1;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  return length;
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t columns = 0;
  char32_t cp = 0;
  for (std::size_t i = 0; i < text.size();) {
    i += decode(text, i, cp);
    columns += is_wide(cp) ? 2 : 1;
  }
  return columns;
}

std::string pad_right(std::string_view text, std::size_t columns) {
  std::string out(text);
  std::size_t width = display_width(text);
  if (width < columns) out.append(columns - width, ' ');
  return out;
}

std::string fit_width(std::string_view text, std::size_t columns) {
  if (display_width(text) <= columns) return std::string(text);
  const std::size_t room = columns > 3 ? columns - 3 : 0;
  std::size_t used = 0, i = 0;
  char32_t cp = 0;
  while (i < text.size()) {
    std::size_t length = decode(text, i, cp);
    std::size_t w = is_wide(cp) ? 2 : 1;
    if (used + w > room) break;
    used += w;
    i += length;
  }
  return std::string(text.substr(0, i)) + std::string(columns > 3 ? 3 : columns, '.');
}

}  // namespace lkr
