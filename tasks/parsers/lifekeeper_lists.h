// Pure parsers of LifeKeeper's listing commands (runbook §1, §6, §7, "Additional").
// Input is the command's stdout as UTF-8 (CRLF or LF). `separator` is the character given
// with -f; a line without it is split on Ctrl-A, the tools' default (E1, E2).
// Each throws lkr::OddOutput naming the command, the expected shape and the odd line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tasks/records.h"

namespace lkr::tasks {

std::vector<Equivalency> parse_eqv_list(std::string_view text, char separator);
// One system name a line; at least one (the local system is always listed).
std::vector<std::string> parse_sys_list(std::string_view text);
// `local_system` fills CommPath::system where the layout does not list it, and tells
// the local_first layout from the others (assumed_formats.h, net_list).
std::vector<CommPath> parse_net_list(std::string_view text, char separator,
                                     std::string_view local_system);
std::vector<Resource> parse_ins_list(std::string_view text, char separator);

// The fields of one listing line: split on `separator` when the line holds it, else on
// Ctrl-A.
std::vector<std::string> split_listing_line(std::string_view line, char separator);

}  // namespace lkr::tasks
