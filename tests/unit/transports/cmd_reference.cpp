#include "tests/unit/transports/cmd_reference.h"

#include <algorithm>
#include <cctype>

namespace cmdref {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_token_delimiter(char c) { return is_space(c) || c == ',' || c == ';' || c == '='; }
bool is_operator(char c) {
  return c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')';
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool lookup(const Environment& env, std::string_view name, std::string& value) {
  if (name.empty()) return false;
  std::string_view base = name.substr(0, name.find(':'));  // %NAME:~0,2% modifiers
  auto it = env.vars.find(upper(base));
  if (it != env.vars.end()) {
    value = it->second;
    return true;
  }
  if (env.hostile && name.front() != '^') {
    value = "<EXPANDED:" + std::string(name) + ">";
    return true;
  }
  return false;
}

}  // namespace

std::string strip_slash_c_quotes(std::string_view line) {
  if (line.empty() || line.front() != '"') return std::string(line);
  std::size_t quotes = std::count(line.begin(), line.end(), '"');
  std::size_t close = line.find('"', 1);
  if (quotes == 2) {
    std::string_view inner = line.substr(1, close - 1);
    bool special = inner.find_first_of("&<>()@^|") != std::string_view::npos;
    bool spaced = inner.find_first_of(" \t") != std::string_view::npos;
    if (!special && spaced) return std::string(line);  // assume it names an executable
  }
  std::size_t last = line.rfind('"');
  std::string out(line.substr(1, last - 1));
  out += line.substr(last + 1);
  return out;
}

std::string expand_percents(std::string_view line, const Environment& env) {
  std::string out;
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] != '%') {
      out += line[i++];
      continue;
    }
    std::size_t close = line.find('%', i + 1);
    if (close == std::string_view::npos) {
      out += line.substr(i);
      break;
    }
    std::string value;
    if (lookup(env, line.substr(i + 1, close - i - 1), value)) {
      out += value;
      i = close + 1;
    } else {
      out += line.substr(i, close - i);
      i = close;
    }
  }
  return out;
}

Phase2 carets_and_quotes(std::string_view line) {
  Phase2 r;
  bool quoted = false;
  bool token_started = false, token_done = false;
  std::size_t token_begin = 0, token_end = std::string::npos;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    bool escaped = false;
    if (!quoted && c == '^') {
      if (i + 1 == line.size()) break;  // a trailing caret escapes the line end
      c = line[++i];
      escaped = true;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && is_operator(c)) {
      r.unescaped_operator = true;
    }
    bool delimiter = !quoted && !escaped && is_token_delimiter(c);
    if (!token_started && !delimiter) {
      token_started = true;
      token_begin = r.text.size();
    } else if (token_started && !token_done && delimiter) {
      token_done = true;
      token_end = r.text.size();
    }
    r.text += c;
  }
  if (!token_started) return r;
  if (!token_done) token_end = r.text.size();
  std::string token = r.text.substr(token_begin, token_end - token_begin);
  token.erase(std::remove(token.begin(), token.end(), '"'), token.end());
  r.command_token = token;
  r.from_command = r.text.substr(token_begin);
  r.tail = r.text.substr(token_end);
  return r;
}

std::vector<std::string> command_line_to_argv(std::string_view s) {
  std::vector<std::string> argv;
  std::size_t i = 0;
  // argv[0]: up to the next quote when it starts with one, else up to white space;
  // backslashes are not special.
  std::string first;
  if (i < s.size() && s[i] == '"') {
    std::size_t close = s.find('"', 1);
    first = std::string(s.substr(1, close == std::string_view::npos ? s.npos : close - 1));
    i = close == std::string_view::npos ? s.size() : close + 1;
  } else {
    while (i < s.size() && !is_space(s[i])) first += s[i++];
  }
  argv.push_back(first);
  for (;;) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i == s.size()) break;
    std::string arg;
    bool quoted = false;
    while (i < s.size() && (quoted || !is_space(s[i]))) {
      if (s[i] == '\\') {
        std::size_t n = 0;
        while (i < s.size() && s[i] == '\\') ++n, ++i;
        if (i < s.size() && s[i] == '"') {
          arg.append(n / 2, '\\');
          if (n % 2 == 1) arg += s[i++];  // escaped quote; an even run leaves it to toggle
        } else {
          arg.append(n, '\\');
        }
      } else if (s[i] == '"') {
        if (quoted && i + 1 < s.size() && s[i + 1] == '"') {
          arg += '"';  // "" inside quotes: a literal quote
          i += 2;
        } else {
          quoted = !quoted;
          ++i;
        }
      } else {
        arg += s[i++];
      }
    }
    argv.push_back(arg);
  }
  return argv;
}

std::vector<std::string> builtin_args(std::string_view tail) {
  std::vector<std::string> args;
  std::size_t i = 0;
  for (;;) {
    while (i < tail.size() && is_space(tail[i])) ++i;
    if (i == tail.size()) break;
    std::string arg;
    bool quoted = false;
    for (; i < tail.size() && (quoted || !is_space(tail[i])); ++i) {
      if (tail[i] == '"') {
        quoted = !quoted;
      } else {
        arg += tail[i];
      }
    }
    args.push_back(arg);
  }
  return args;
}

}  // namespace cmdref
