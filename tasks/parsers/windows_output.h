// Pure parsers of the Windows commands the runbook's steps use: chcp, hostname, the
// `if exist` probe and `reg query`. Input: stdout as UTF-8 (CRLF or LF).
// Each throws lkr::OddOutput naming the command, the expected shape and the odd line.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lkr::tasks {

// "Active code page: 437", "現在のコード ページ: 932", with or without a final period.
int parse_chcp(std::string_view text);
// The computer name: one non-empty line.
std::string parse_hostname(std::string_view text);
// "yes" / "no" (assumed_formats.h kExists / kMissing).
bool parse_if_exist(std::string_view text);
// The names of the subkeys `reg query <key>` lists under `key` (value lines are skipped).
// `key` may use the short hive name (HKLM); reg prints the long one.
std::vector<std::string> parse_reg_subkeys(std::string_view text, std::string_view key);
// `set PREFIX`: every NAME=value line, keyed by the name in upper case (Windows compares
// variable names case-insensitively).
std::map<std::string, std::string> parse_set_output(std::string_view text);

}  // namespace lkr::tasks
