#include "controller/report/html_text.h"

#include "controller/report/line_ends.h"

namespace lkr::report {

std::string html_escape(std::string_view text, Lines lines) {
  std::string safe =
      lines == Lines::many ? terminal_safe(without_crlf(text), lines) : terminal_safe(text, lines);
  std::string out;
  out.reserve(safe.size() + safe.size() / 8);
  for (char c : safe) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace lkr::report
