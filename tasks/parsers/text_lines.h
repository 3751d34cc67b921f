// Shared helpers of the pure parsers: splitting node output into lines and fields,
// and the one shape of error they raise (lkr::OddOutput) when output is not as expected.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "inventory/system_name.h"

namespace lkr::tasks {

// Lines of `text` without their CR/LF ends; trailing empty lines dropped (cmd and the
// tools often end output with a blank line).
std::vector<std::string> split_lines(std::string_view text);

// Exact split on `separator` (empty fields kept: "a\t\tb" is three fields).
std::vector<std::string> split_on(std::string_view line, char separator);

// Split on runs of spaces/tabs, as the tools' default output is laid out.
std::vector<std::string> split_on_blanks(std::string_view line);

std::string trim(std::string_view text);

// True when `text` is valid UTF-8 holding no control character other than TAB (and
// Ctrl-A, the listings' default field separator, when `allow_ctrl_a`).
bool is_clean_text(std::string_view text, bool allow_ctrl_a = false);

// `line` for an error message: control characters and bytes that are not valid UTF-8
// become \xNN, and it is cut to 200 characters.
std::string quote_line(std::string_view line);

// Why a command failed, in the node's words: "exit code N: <first non-blank line of
// stderr, else of stdout, quoted as quote_line does>". The one wording of every such error.
std::string failure_text(int exit_code, std::string_view stderr_text, std::string_view stdout_text);

// Throws lkr::OddOutput: "<command>: expected <expected>; got "<line>"".
[[noreturn]] void throw_odd_output(std::string_view command, std::string_view expected,
                                   std::string_view line);
[[noreturn]] void throw_no_output(std::string_view command, std::string_view expected);

// Parses a decimal int, or throws OddOutput naming `command`, `expected` and `line`.
int parse_int_field(std::string_view field, std::string_view command, std::string_view expected,
                    std::string_view line);

// System names compare as Windows compares computer names (inventory/system_name.h).
using lkr::same_system;

}  // namespace lkr::tasks
