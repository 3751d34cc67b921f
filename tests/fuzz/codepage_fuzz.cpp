// Fuzzes the code page decoder. The first byte picks the code page; the rest is what the
// node printed. The result must be valid UTF-8 (checked here: the decoder promises it).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "transports/codepage.h"

namespace {

bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const int kCodepages[] = {437, 850, 932, 1252, 65001, 936, 949, 950};
  int codepage = kCodepages[data[0] % (sizeof kCodepages / sizeof kCodepages[0])];
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string out = lkr::decode_to_utf8(bytes, codepage);
  if (!valid_utf8(out)) std::abort();
  return 0;
}
