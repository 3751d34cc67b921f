// Pure parsers of LifeKeeper's listing commands (RUNBOOK §1, §6, §7, "Additional").
// Input is the command's stdout as UTF-8 (CRLF or LF). `separator` is the character given
// with -f, or nullopt for the default layout (fields separated by white space).
// Each throws lkr::OddOutput naming the command, the expected shape and the odd line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/records.h"

namespace lkr::tasks {

std::vector<Equivalency> parse_eqv_list(std::string_view text, std::optional<char> separator);
// One system name a line; at least one (the local system is always listed).
std::vector<std::string> parse_sys_list(std::string_view text);
std::vector<CommPath> parse_net_list(std::string_view text, std::optional<char> separator);
std::vector<Resource> parse_ins_list(std::string_view text, std::optional<char> separator);

}  // namespace lkr::tasks
