#include "inventory/ini_inventory.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "inventory/host_range.h"
#include "inventory/inventory.h"

namespace lkr {

namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

bool is_quoted(const std::string& s) {
  return s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front();
}

// Python's shlex.split(line, comments=True): whitespace-separated words, quotes removed,
// a `#` outside quotes starting a comment. Returns false for an unclosed quote.
bool shell_words(const std::string& line, std::vector<std::string>& words) {
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && i + 1 < line.size() &&
                 (line[i + 1] == '"' || line[i + 1] == '\\')) {
        word += line[++i];
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
      in_word = true;
    } else if (c == '#') {
      break;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote) return false;
  if (in_word) words.push_back(word);
  return true;
}

enum class Section { hosts, vars, children };

class IniParser {
 public:
  IniParser(GroupTree& tree, const std::string& file) : tree_(tree), file_(file) {}

  void parse(const std::string& bytes) {
    ensure_group(tree_, "all", file_, 0);
    ensure_group(tree_, "ungrouped", file_, 0);
    std::istringstream in(bytes);
    std::string raw;
    while (std::getline(in, raw)) {
      ++line_;
      std::string text = trim(raw);
      if (text.empty() || text[0] == '#' || text[0] == ';') continue;
      if (text[0] == '[')
        section(text);
      else if (section_ == Section::hosts)
        host_line(text);
      else if (section_ == Section::vars)
        var_line(text);
      else
        child_line(text);
    }
    for (const auto& [name, line] : vars_only_)
      if (!defined_.count(name))
        fail(line, "[" + name + ":vars] is for a group defined nowhere in this file; add a [" +
                       name + "] or [" + name + ":children] section, or fix the name");
  }

 private:
  [[noreturn]] void fail(int line, const std::string& what) const {
    throw InventoryError(location(file_, line) + ": " + what);
  }

  // `[name]`, `[name:vars]`, `[name:children]`, with an optional comment after it.
  void section(const std::string& text) {
    size_t close = text.find(']');
    std::string rest = close == std::string::npos ? "" : trim(text.substr(close + 1));
    if (close == std::string::npos || (!rest.empty() && rest[0] != '#' && rest[0] != ';'))
      fail(line_, "malformed section header \"" + text + "\"; write [GROUP], [GROUP:vars] or " +
                      "[GROUP:children]");
    std::string inside = text.substr(1, close - 1), kind;
    if (size_t colon = inside.find(':'); colon != std::string::npos) {
      kind = inside.substr(colon + 1);
      inside = inside.substr(0, colon);
    }
    if (inside.empty() || inside.find_first_of(" \t") != std::string::npos)
      fail(line_, "malformed group name in \"" + text + "\"");
    group_ = inside;
    if (kind.empty() || kind == "hosts")
      section_ = Section::hosts;
    else if (kind == "vars")
      section_ = Section::vars;
    else if (kind == "children")
      section_ = Section::children;
    else
      fail(line_, "section [" + text.substr(1, close - 1) + "] has unknown type \"" + kind +
                      "\"; use :vars or :children");
    ensure_group(tree_, group_, file_, line_);
    if (section_ == Section::vars)
      vars_only_.emplace(group_, line_);
    else
      defined_.insert(group_);
    seen_vars_.clear();
  }

  void host_line(const std::string& text) {
    std::vector<std::string> words;
    if (!shell_words(text, words)) fail(line_, "unclosed quote in \"" + text + "\"");
    if (words.empty()) return;
    HostPattern pattern = expand_host_pattern(words[0], location(file_, line_));
    VarMap vars;
    std::set<std::string> seen;
    if (!pattern.port.empty())
      vars["ansible_port"] = VarDef{YAML::Node(pattern.port), line_, file_};
    for (size_t i = 1; i < words.size(); ++i) {
      size_t eq = words[i].find('=');
      if (eq == std::string::npos || eq == 0)
        fail(line_, "expected key=value host variable assignment, got \"" + words[i] + "\"");
      std::string key = words[i].substr(0, eq);
      if (!seen.insert(key).second) warn_duplicate(key);
      vars[key] = VarDef{ini_value(words[i].substr(eq + 1)), line_, file_};
    }
    for (const auto& name : pattern.names) {
      HostDecl& host = ensure_host(tree_, name, file_, line_);
      add_group_host(tree_, group_, name);
      for (const auto& [k, v] : vars) host.vars[k] = v;
    }
  }

  void var_line(const std::string& text) {
    size_t eq = text.find('=');
    if (eq == std::string::npos) fail(line_, "expected key=value, got \"" + text + "\"");
    std::string key = trim(text.substr(0, eq));
    if (!seen_vars_.insert(key).second) warn_duplicate(key);
    tree_.groups.at(group_).vars[key] = VarDef{ini_value(trim(text.substr(eq + 1))), line_, file_};
  }

  void child_line(const std::string& text) {
    std::string name = trim(text.substr(0, text.find_first_of("#;")));
    if (name.empty() || name.find_first_of(" \t:]") != std::string::npos)
      fail(line_, "expected one group name, got \"" + text + "\"");
    ensure_group(tree_, name, file_, line_);
    defined_.insert(name);
    add_child_group(tree_, group_, name);
  }

  void warn_duplicate(const std::string& key) {
    tree_.warnings.push_back(location(file_, line_) + ": duplicate variable \"" + key +
                             "\": the last one wins; remove one of them");
  }

  GroupTree& tree_;
  std::string file_;
  int line_ = 0;
  std::string group_ = "ungrouped";
  Section section_ = Section::hosts;
  std::set<std::string> defined_{"all", "ungrouped"}, seen_vars_;
  std::map<std::string, int> vars_only_;  // groups named only by [NAME:vars], and where
};

}  // namespace

// The body of a Python string literal: its backslash escapes resolved; an unknown escape
// (`\L` in `C:\LK`) stays as written, as Python leaves it.
static std::string python_string_body(const std::string& body) {
  static const std::map<char, char> escapes = {{'\\', '\\'}, {'\'', '\''}, {'"', '"'},  {'n', '\n'},
                                               {'t', '\t'},  {'r', '\r'},  {'a', '\a'}, {'b', '\b'},
                                               {'f', '\f'},  {'v', '\v'},  {'0', '\0'}};
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    auto it = i + 1 < body.size() && body[i] == '\\' ? escapes.find(body[i + 1]) : escapes.end();
    if (it == escapes.end()) {
      out += body[i];
    } else {
      out += it->second;
      ++i;
    }
  }
  return out;
}

// Python literals hold quoted strings, numbers, True, False and None; YAML's flow syntax
// also takes bare words, which literal_eval refuses (the value then stays text).
static bool is_python_literal(const YAML::Node& node) {
  if (node.IsScalar()) {
    if (node.Tag() != "?") return true;  // quoted
    const std::string& s = node.Scalar();
    if (s == "True" || s == "False" || s == "None") return true;
    return !s.empty() &&
           s.find_first_not_of("0123456789.-+eExXabcdefABCDEF_") == std::string::npos &&
           (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s[0] == '+');
  }
  if (node.IsSequence())
    return std::all_of(node.begin(), node.end(),
                       [](const YAML::Node& n) { return is_python_literal(n); });
  if (node.IsMap())
    return std::all_of(node.begin(), node.end(), [](const YAML::const_iterator::value_type& e) {
      return is_python_literal(e.first) && is_python_literal(e.second);
    });
  return false;
}

YAML::Node ini_value(const std::string& text) {
  if (is_quoted(text)) return YAML::Node(python_string_body(text.substr(1, text.size() - 2)));
  if (text.size() >= 2 && ((text.front() == '[' && text.back() == ']') ||
                           (text.front() == '{' && text.back() == '}'))) {
    try {
      YAML::Node parsed = YAML::Load(text);
      if (is_python_literal(parsed)) return parsed;
    } catch (const YAML::Exception&) {
      // Not a literal to Python either: the ini plugin keeps the text.
    }
  }
  return YAML::Node(text);
}

void add_ini_inventory(GroupTree& tree, const std::string& bytes, const std::string& file) {
  IniParser(tree, file).parse(bytes);
}

}  // namespace lkr
