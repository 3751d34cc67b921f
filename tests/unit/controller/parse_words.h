// parse_cli on a command line given as words, as the shell would hand them over.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/cli_options.h"

namespace lkr::test {

inline std::optional<CliOptions> parse(std::vector<std::string> words) {
  std::vector<char*> argv;
  std::string prog = "lkrecover";
  argv.push_back(prog.data());
  for (auto& w : words) argv.push_back(w.data());
  return parse_cli(static_cast<int>(argv.size()), argv.data());
}

}  // namespace lkr::test
