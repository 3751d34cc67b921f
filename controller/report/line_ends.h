// Windows output ends its lines with CRLF: in a report that is one line end, not a stray
// CR to show escaped on every line. A CR alone stays (and is shown escaped).
#pragma once

#include <string>
#include <string_view>

namespace lkr::report {

inline std::string without_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

}  // namespace lkr::report
