#include "tests/lab/node/cmd_parser.h"

#include <cstdlib>

#include "tests/lab/node/text_util.h"

namespace lab {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

// cmd's token delimiters before and between a command's name and its arguments.
bool is_delimiter(char c) { return is_space(c) || c == ',' || c == ';' || c == '='; }

std::string substring_of(const std::string& value, const std::string& spec) {
  // spec is "n" or "n,m" (after the ~); negative n counts from the end, negative m
  // leaves that many characters off the end.
  auto parts = split_any(spec, ",");
  long len = static_cast<long>(value.size());
  long start = std::strtol(parts[0].c_str(), nullptr, 10);
  if (start < 0) start = std::max(0L, len + start);
  if (start > len) start = len;
  long count = len - start;
  if (parts.size() > 1) {
    long m = std::strtol(parts[1].c_str(), nullptr, 10);
    count = m < 0 ? std::max(0L, len - start + m) : std::min(m, len - start);
  }
  return value.substr(static_cast<size_t>(start), static_cast<size_t>(count));
}

std::string replace_all_ignoring_case(const std::string& value, const std::string& from,
                                      const std::string& to) {
  if (from.empty()) return value;
  std::string lower = to_lower(value), needle = to_lower(from), out;
  size_t i = 0;
  while (i < value.size()) {
    if (lower.compare(i, needle.size(), needle) == 0) {
      out += to;
      i += needle.size();
    } else {
      out += value[i++];
    }
  }
  return out;
}

// The expansion of the text between two % signs, or nullopt when cmd leaves it as typed.
std::optional<std::string> expand_reference(const std::string& ref, const EnvLookup& lookup) {
  size_t colon = ref.find(':');
  if (colon == std::string::npos) return ref.empty() ? std::nullopt : lookup(ref);
  auto value = lookup(ref.substr(0, colon));
  if (!value) return std::nullopt;
  std::string modifier = ref.substr(colon + 1);
  if (!modifier.empty() && modifier[0] == '~') return substring_of(*value, modifier.substr(1));
  size_t eq = modifier.find('=');
  if (eq == std::string::npos) return std::nullopt;
  return replace_all_ignoring_case(*value, modifier.substr(0, eq), modifier.substr(eq + 1));
}

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}

  CmdNodePtr parse_all() {
    skip_delimiters();
    if (at_end()) return nullptr;
    auto node = parse_sequence();
    skip_spaces();
    if (!at_end()) unexpected();
    return node;
  }

 private:
  const std::string& s_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool to_stderr_ = false;  // the command being read ends with 1>&2

  bool at_end() const { return pos_ >= s_.size(); }
  bool starts(const char* op) const {
    return s_.compare(pos_, std::char_traits<char>::length(op), op) == 0;
  }
  void skip_spaces() {
    while (!at_end() && is_space(s_[pos_])) ++pos_;
  }
  void skip_delimiters() {
    while (!at_end() && (is_delimiter(s_[pos_]) || s_[pos_] == '@')) ++pos_;
  }
  bool at_block_end() const { return depth_ > 0 && !at_end() && s_[pos_] == ')'; }

  [[noreturn]] void unexpected() const {
    std::string what = starts("&&") ? "&&" : starts("||") ? "||" : std::string(1, s_[pos_]);
    throw CmdSyntaxError(what + " was unexpected at this time.");
  }
  [[noreturn]] static void incorrect() {
    throw CmdSyntaxError("The syntax of the command is incorrect.");
  }

  static CmdNodePtr make(CmdNode::Kind kind, CmdNodePtr left, CmdNodePtr right) {
    auto n = std::make_unique<CmdNode>();
    n->kind = kind;
    n->left = std::move(left);
    n->right = std::move(right);
    return n;
  }

  // `&` binds loosest: a && b & c || d == (a && b) & (c || d).
  CmdNodePtr parse_sequence() {
    auto node = parse_conditional();
    for (;;) {
      skip_spaces();
      if (at_end() || at_block_end()) return node;
      if (s_[pos_] != '&' || starts("&&")) unexpected();
      ++pos_;
      skip_delimiters();
      if (at_end() || at_block_end()) return node;  // a trailing & is allowed
      node = make(CmdNode::Kind::sequence, std::move(node), parse_conditional());
    }
  }

  CmdNodePtr parse_conditional() {
    auto node = parse_simple();
    for (;;) {
      skip_spaces();
      CmdNode::Kind kind;
      if (starts("&&"))
        kind = CmdNode::Kind::and_then;
      else if (starts("||"))
        kind = CmdNode::Kind::or_else;
      else if (!at_end() && s_[pos_] == '|')
        throw CmdSyntaxError("The syntax of the command is incorrect.");  // pipes: not modelled
      else
        return node;
      pos_ += 2;
      node = make(kind, std::move(node), parse_simple());
    }
  }

  bool at_word(const char* word) const {
    size_t n = std::char_traits<char>::length(word);
    if (!iequals(std::string_view(s_).substr(pos_, n), word)) return false;
    return pos_ + n >= s_.size() || is_space(s_[pos_ + n]) || s_[pos_ + n] == '(';
  }

  CmdNodePtr parse_simple() {
    skip_delimiters();
    if (at_end()) incorrect();
    char c = s_[pos_];
    if (c == '&' || c == '|' || c == '<' || c == '>') unexpected();
    if (at_block_end()) unexpected();
    if (c == '(') return parse_block();
    if (at_word("if")) return parse_if();
    auto n = std::make_unique<CmdNode>();
    to_stderr_ = false;
    n->text = read_command_text();
    n->stdout_to_stderr = to_stderr_;
    return n;
  }

  CmdNodePtr parse_block() {
    ++pos_;
    ++depth_;
    auto n = std::make_unique<CmdNode>();
    n->kind = CmdNode::Kind::block;
    skip_delimiters();
    if (!at_block_end()) n->body = parse_sequence();
    skip_spaces();
    if (at_end()) incorrect();  // "(" never closed
    ++pos_;                     // the ")"
    --depth_;
    return n;
  }

  // At a `>`: `>&2`, or `1>&2` (the 1 a word of its own), followed by the command's end
  // or a blank: stdout goes to stderr.
  bool stdout_to_stderr_at(const std::string& text) const {
    if (s_.compare(pos_, 3, ">&2") != 0) return false;
    size_t after = pos_ + 3;
    if (after < s_.size() && !is_space(s_[after]) && s_[after] != '&' && s_[after] != '|' &&
        s_[after] != ')')
      return false;
    if (text.empty() || text.back() != '1') return true;
    return text.size() == 1 || is_space(text[text.size() - 2]);
  }

  // The text of one command: up to an unquoted, unescaped & or |, or the ) of its block.
  std::string read_command_text() {
    std::string text;
    bool quoted = false;
    while (!at_end()) {
      char c = s_[pos_];
      if (quoted) {
        text += c;
        quoted = c != '"';
        ++pos_;
        continue;
      }
      if (c == '"') {
        quoted = true;
      } else if (c == '^') {
        ++pos_;  // the caret goes, the next character stays literally (a last caret just goes)
        if (at_end()) break;
        c = s_[pos_];
      } else if (c == '&' || c == '|' || (c == ')' && depth_ > 0)) {
        break;
      } else if (c == '>' && stdout_to_stderr_at(text)) {
        if (!text.empty() && text.back() == '1') text.pop_back();
        to_stderr_ = true;
        pos_ += 3;
        continue;
      } else if (c == '<' || c == '>') {
        throw CmdSyntaxError(
            "The syntax of the command is incorrect.");  // redirection: not modelled
      }
      text += c;
      ++pos_;
    }
    while (!text.empty() && is_space(text.back()) && !quoted) text.pop_back();
    return text;
  }

  // A word of an IF condition: up to whitespace, a special character, or "==" (when
  // `stop_at_equals`), outside quotes; carets applied; quotes kept.
  std::string read_condition_word(bool stop_at_equals) {
    std::string word;
    bool quoted = false;
    while (!at_end()) {
      char c = s_[pos_];
      if (!quoted) {
        if (is_space(c) || c == '&' || c == '|' || c == '(' || c == ')') break;
        if (stop_at_equals && starts("==")) break;
        if (c == '^') {
          if (++pos_ >= s_.size()) break;
          c = s_[pos_];
        } else if (c == '"') {
          quoted = true;
        }
      } else if (c == '"') {
        quoted = false;
      }
      word += c;
      ++pos_;
    }
    return word;
  }

  CmdNodePtr parse_if() {
    pos_ += 2;
    auto n = std::make_unique<CmdNode>();
    n->kind = CmdNode::Kind::if_command;
    IfCondition& cond = n->condition;
    skip_spaces();
    if (at_word("/i")) {
      cond.ignore_case = true;
      pos_ += 2;
      skip_spaces();
    }
    if (at_word("not")) {
      cond.negate = true;
      pos_ += 3;
      skip_spaces();
    }
    for (const char* kind : {"exist", "defined", "errorlevel"}) {
      if (!at_word(kind)) continue;
      cond.kind = kind;
      pos_ += std::char_traits<char>::length(kind);
      skip_spaces();
      cond.left = read_condition_word(false);
      break;
    }
    if (cond.kind.empty()) {
      cond.kind = "==";
      cond.left = read_condition_word(true);
      skip_spaces();
      if (!starts("==")) incorrect();
      pos_ += 2;
      skip_spaces();
      cond.right = read_condition_word(false);
    }
    if (cond.left.empty()) incorrect();
    skip_spaces();
    if (at_end() || at_block_end()) incorrect();
    if (s_[pos_] == '(') {
      n->body = parse_block();
      size_t before = pos_;
      skip_spaces();
      if (at_word("else")) {
        pos_ += 4;
        skip_spaces();
        if (at_end()) incorrect();
        n->else_branch = s_[pos_] == '(' ? parse_block() : parse_sequence();
      } else {
        pos_ = before;
      }
    } else {
      n->body = parse_sequence();  // without parentheses the rest of the line is the body
    }
    return n;
  }
};

// Whether the text between the two quotes names an executable, per `cmd /?` case 1.
bool quotes_kept(const std::string& line,
                 const std::function<bool(const std::string&)>& is_executable) {
  size_t first = line.find('"');
  size_t second = line.find('"', first + 1);
  if (second == std::string::npos || line.find('"', second + 1) != std::string::npos) return false;
  std::string inside = line.substr(first + 1, second - first - 1);
  if (inside.find_first_of("&<>()@^|") != std::string::npos) return false;
  if (inside.find_first_of(" \t") == std::string::npos) return false;
  return is_executable(inside);
}

}  // namespace

std::string apply_slash_c_quote_rule(const std::string& line,
                                     const std::function<bool(const std::string&)>& is_executable) {
  if (line.empty() || line[0] != '"') return line;
  if (quotes_kept(line, is_executable)) return line;
  size_t last = line.rfind('"');
  if (last == 0) return line.substr(1);
  return line.substr(1, last - 1) + line.substr(last + 1);
}

std::string expand_percent(const std::string& line, const EnvLookup& lookup) {
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] != '%') {
      out += line[i++];
      continue;
    }
    size_t close = line.find('%', i + 1);
    if (close == std::string::npos) {  // a lone %: stays
      out += line.substr(i);
      break;
    }
    auto value = expand_reference(line.substr(i + 1, close - i - 1), lookup);
    if (value) {
      out += *value;
      i = close + 1;
    } else {  // undefined: as typed, and the closing % may open the next reference
      out += line.substr(i, close - i);
      i = close;
    }
  }
  return out;
}

CmdNodePtr parse_command_line(const std::string& expanded) { return Parser(expanded).parse_all(); }

CommandName split_command_name(const std::string& text) {
  CommandName r;
  size_t i = 0;
  while (i < text.size() && (is_delimiter(text[i]) || text[i] == '@')) ++i;
  r.name_start = i;
  bool quoted = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      quoted = !quoted;
      continue;
    }
    if (!quoted && (is_delimiter(c) || c == '/' || c == '(')) break;
    r.name += c;
  }
  r.rest = text.substr(i);
  return r;
}

std::vector<std::string> builtin_words(const std::string& rest) {
  std::vector<std::string> words;
  std::string current;
  bool quoted = false, in_word = false;
  for (char c : rest) {
    if (c == '"') {
      quoted = !quoted;
      in_word = true;
    } else if (!quoted && is_space(c)) {
      if (in_word) words.push_back(current);
      current.clear();
      in_word = false;
    } else {
      current += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(current);
  return words;
}

}  // namespace lab
