#include "tasks/parsers/windows_output.h"

#include "tasks/assumed_formats.h"
#include "tasks/parsers/text_lines.h"

namespace lkr::tasks {
namespace {

// The only non-blank line of `text`, or OddOutput.
std::string single_line(std::string_view text, std::string_view command, std::string_view shape) {
  std::string found;
  for (const std::string& line : split_lines(text)) {
    std::string t = trim(line);
    if (t.empty()) continue;
    if (!found.empty() || !is_clean_text(t)) throw_odd_output(command, shape, line);
    found = t;
  }
  if (found.empty()) throw_no_output(command, shape);
  return found;
}

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// "HKLM\X" -> "HKEY_LOCAL_MACHINE\X", upper-cased for a case-insensitive prefix test.
std::string long_key_name(std::string_view key) {
  std::string k = upper_ascii(key);
  if (k.rfind("HKLM\\", 0) == 0) k = std::string(assumed::kLongHiveName) + k.substr(4);
  return k;
}

}  // namespace

int parse_chcp(std::string_view text) {
  constexpr std::string_view shape = "\"<label>: <code page>\" such as \"Active code page: 437\"";
  std::string line = single_line(text, "chcp", shape);
  std::size_t colon = line.rfind(':');
  if (colon == std::string::npos) throw_odd_output("chcp", shape, line);
  std::string number = trim(std::string_view(line).substr(colon + 1));
  if (!number.empty() && number.back() == '.') number.pop_back();
  int codepage = parse_int_field(number, "chcp", shape, line);
  if (codepage <= 0) throw_odd_output("chcp", shape, line);
  return codepage;
}

std::string parse_hostname(std::string_view text) {
  return single_line(text, "hostname", "one line: the computer name");
}

bool parse_if_exist(std::string_view text) {
  constexpr std::string_view shape = "\"yes\" or \"no\"";
  std::string answer = single_line(text, "if exist", shape);
  if (answer == assumed::kExists) return true;
  if (answer == assumed::kMissing) return false;
  throw_odd_output("if exist", shape, answer);
}

std::vector<std::string> parse_reg_subkeys(std::string_view text, std::string_view key) {
  constexpr std::string_view shape = "subkey paths under the queried key, or indented values";
  std::string prefix = long_key_name(key) + "\\";
  std::string self = long_key_name(key);
  std::vector<std::string> subkeys;
  for (const std::string& line : split_lines(text)) {
    if (trim(line).empty() || line[0] == ' ') continue;  // blank, or "    Name    REG_SZ    x"
    if (!is_clean_text(line)) throw_odd_output("reg query", shape, line);
    std::string upper = upper_ascii(line);
    if (upper == self) continue;  // the key itself heads its own values
    if (upper.rfind(prefix, 0) != 0) throw_odd_output("reg query", shape, line);
    std::string name = line.substr(prefix.size());
    if (name.empty() || name.find('\\') != std::string::npos)
      throw_odd_output("reg query", shape, line);
    subkeys.push_back(name);
  }
  return subkeys;
}

}  // namespace lkr::tasks

namespace lkr::tasks {

std::map<std::string, std::string> parse_set_output(std::string_view text) {
  constexpr std::string_view shape = "NAME=value lines (cmd's `set NAME`)";
  std::map<std::string, std::string> vars;
  for (const std::string& line : split_lines(text)) {
    if (line.empty()) continue;
    std::size_t eq = line.find('=');
    if (eq == std::string::npos || eq == 0 || !is_clean_text(line))
      throw_odd_output("set", shape, line);
    vars[upper_ascii(line.substr(0, eq))] = line.substr(eq + 1);
  }
  return vars;
}

}  // namespace lkr::tasks
