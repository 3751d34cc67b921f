// How a Windows program receives its arguments: CommandLineToArgvW's split.
#pragma once

#include <string>
#include <vector>

namespace lab {

// Splits a program's command line as shell32's CommandLineToArgvW does (on UTF-8 text;
// only ASCII characters matter to the rules).
//
// Relied on:
// - Microsoft's documented rules (learn.microsoft.com, "Parsing C++ command-line
//   arguments" and CommandLineToArgvW): arguments end at space/tab outside quotes;
//   2n backslashes + `"` -> n backslashes and the quote toggles quoting; 2n+1
//   backslashes + `"` -> n backslashes and a literal `"`; backslashes not followed by a
//   quote are literal.
// - argv[0]: if the line starts with `"`, everything up to the next `"` (no escapes);
//   otherwise up to the first character <= U+0020 (johnstevenson/winbox-args wiki
//   "How Windows parses the command line", matching Wine's shell32).
// - Runs of quotes: Wine's dlls/shell32/shell32_main.c CommandLineToArgvW, written to
//   match Windows: quote count `q` (odd = inside quotes); each run of consecutive quotes
//   adds to q and every third quote of a run emits a literal `"` and resets q to 0; a q
//   of 2 after a run becomes 0. So inside quotes `""` gives a literal `"` and ENDS the
//   quoted part (the pre-2008 CRT rule, see hardtoc.com "Quoting command line arguments").
std::vector<std::string> command_line_to_argv(const std::string& line);

}  // namespace lab
