#include "tests/lab/node/environment.h"

#include <algorithm>

#include "tests/lab/node/text_util.h"

namespace lab {
namespace {

std::string trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

void print(CommandContext& c, const std::vector<std::pair<std::string, std::string>>& vars) {
  for (const auto& [name, value] : vars) c.out_line(name + "=" + value);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> environment_matching(const NodeState& s,
                                                                      const std::string& wildcard) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : s.env)
    if (wildcard_match(wildcard, name)) out.emplace_back(name, value);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return to_upper(a.first) < to_upper(b.first); });
  return out;
}

int cmd_set(CommandContext& c) {
  std::string arg = trimmed(c.rest);
  // cmd drops the quotes around `set "NAME"`.
  if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"')
    arg = trimmed(arg.substr(1, arg.size() - 2));
  if (!arg.empty() && arg[0] == '/') {  // set /a, set /p: not emulated
    c.err_line(c.msg(Msg::syntax_incorrect));
    return 1;
  }
  if (arg.find('=') != std::string::npos) {
    // Assignment is not modelled: refusing beats a silent no-op the caller would trust.
    c.err_line("lab-cmd: `set NAME=value` is not emulated");
    return 1;
  }
  if (arg.find_first_of("*?") != std::string::npos) {
    c.err_line(c.msg(Msg::env_not_defined, {arg}));  // cmd's set knows no wildcards
    return 1;
  }
  auto vars = environment_matching(c.state(), arg + "*");
  if (vars.empty()) {
    c.err_line(c.msg(Msg::env_not_defined, {arg}));
    return 1;
  }
  print(c, vars);
  return 0;
}

int ps_environment(CommandContext& c) {
  print(c, environment_matching(c.state(), c.argv.at(2)));
  return 0;
}

}  // namespace lab
