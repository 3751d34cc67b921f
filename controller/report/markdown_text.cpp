#include "controller/report/markdown_text.h"

#include <algorithm>
#include <cstring>

#include "controller/report/line_ends.h"
#include "controller/terminal_text.h"

namespace lkr::report {
namespace {

bool is_ascii_punctuation(char c) {
  return c != '\0' && std::strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) != nullptr;
}

// Syntax anywhere in a line: emphasis, code, links and images, inline HTML, entities,
// tables, strikethrough, math. The rest of ASCII punctuation (- . : / and the like) is
// syntax only where a line starts, and only there is it escaped: dates and paths stay
// readable in the file itself.
bool is_inline_syntax(char c) {
  return c != '\0' && std::strchr("\\`*_[]<>&|~#!(){}$", c) != nullptr;
}

// "12. x" or "3) x" starts an ordered list: the index of the '.' or ')' to escape, or npos.
size_t list_number_end(const std::string& text) {
  size_t digits = text.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string::npos) return std::string::npos;
  return text[digits] == '.' || text[digits] == ')' ? digits : std::string::npos;
}

size_t longest_backtick_run(const std::string& text) {
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

}  // namespace

std::string markdown_escape(std::string_view text) {
  std::string safe = terminal_safe(text, Lines::one);
  size_t number_end = list_number_end(safe);
  std::string out;
  out.reserve(safe.size() * 2);
  for (size_t i = 0; i < safe.size(); ++i) {
    char c = safe[i];
    bool at_start = i == 0 && is_ascii_punctuation(c);
    if (at_start || i == number_end || is_inline_syntax(c)) out += '\\';
    out += c;
  }
  return out;
}

std::string markdown_code_block(std::string_view text) {
  std::string body = terminal_safe(without_crlf(text), Lines::many);
  if (!body.empty() && body.back() != '\n') body += '\n';
  std::string fence(std::max<size_t>(3, longest_backtick_run(body) + 1), '`');
  return fence + "text\n" + body + fence + "\n";
}

}  // namespace lkr::report
