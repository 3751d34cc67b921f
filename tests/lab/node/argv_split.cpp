#include "tests/lab/node/argv_split.h"

namespace lab {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

// argv[0]; returns the position after it (whitespace skipped).
size_t program_name(const std::string& s, std::string& out) {
  size_t i = 0;
  if (!s.empty() && s[0] == '"') {
    for (i = 1; i < s.size() && s[i] != '"'; ++i) out += s[i];
    if (i < s.size()) ++i;
  } else {
    for (; i < s.size() && static_cast<unsigned char>(s[i]) > ' '; ++i) out += s[i];
  }
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

}  // namespace

std::vector<std::string> command_line_to_argv(const std::string& s) {
  std::vector<std::string> argv(1);
  size_t i = program_name(s, argv[0]);
  if (i >= s.size()) return argv;
  std::string arg;
  int quotes = 0;  // odd: inside a quoted part
  size_t backslashes = 0;
  while (i < s.size()) {
    char c = s[i];
    if (is_space(c) && quotes == 0) {
      argv.push_back(arg);
      arg.clear();
      backslashes = 0;
      while (i < s.size() && is_space(s[i])) ++i;
      if (i >= s.size()) return argv;
      continue;
    }
    if (c == '\\') {
      arg += c;
      ++backslashes;
      ++i;
      continue;
    }
    if (c != '"') {
      arg += c;
      backslashes = 0;
      ++i;
      continue;
    }
    if (backslashes % 2 == 0) {
      arg.resize(arg.size() - backslashes / 2);
      ++quotes;
    } else {
      arg.resize(arg.size() - backslashes / 2 - 1);
      arg += '"';
    }
    backslashes = 0;
    ++i;
    while (i < s.size() && s[i] == '"') {
      if (++quotes == 3) {
        arg += '"';
        quotes = 0;
      }
      ++i;
    }
    if (quotes == 2) quotes = 0;
  }
  argv.push_back(arg);
  return argv;
}

}  // namespace lab
