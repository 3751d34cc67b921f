#include "controller/snapshot_path.h"

#include <cctype>
#include <cstdio>

#include "inventory/file_digest.h"
#include "transports/utf8_sequence.h"

namespace lkr {
namespace {

bool kept_as_is(unsigned char c, bool first) {
  return std::isalnum(c) || c == '-' || c == '_' || c == ' ' || (c == '.' && !first);
}

}  // namespace

std::string snapshot_path_component(const std::string& name) {
  if (name.empty()) return "%";
  std::string out;
  for (size_t i = 0; i < name.size();) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x80 && kept_as_is(c, i == 0)) {
      out += static_cast<char>(c);
      ++i;
    } else if (size_t length = c >= 0x80 ? utf8_sequence_length(name, i) : 0) {
      out.append(name, i, length);
      i += length;
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
      ++i;
    }
  }
  // 255 bytes is the usual file name limit; keep room for ".tmp".
  constexpr size_t kMaxLength = 200;
  if (out.size() > kMaxLength) {
    size_t cut = kMaxLength - 17;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    if (cut >= 2 && out[cut - 1] == '%') cut -= 1;  // never split an escape
    if (cut >= 2 && out[cut - 2] == '%') cut -= 2;
    out = out.substr(0, cut) + "~" + sha256_hex(name).substr(0, 16);
  }
  return out;
}

}  // namespace lkr
