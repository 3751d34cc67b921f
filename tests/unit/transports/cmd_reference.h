// An independent model of how cmd.exe /c and CommandLineToArgvW read a command line,
// written from Microsoft's documented rules (cmd /? "quote processing"; the
// CommandLineToArgvW / MSVCRT "Parsing C command-line arguments" page) and the
// well-known phase description of cmd's parser. The quoting tests read the renderer's
// output back through it; it shares no code with transports/cmd_quoting.cpp.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cmdref {

// Variables cmd could expand. `hostile` makes every non-empty name defined except
// names starting with '^' (no real or dynamic variable does), the worst case a node's
// environment could present.
struct Environment {
  std::map<std::string, std::string> vars;  // upper-case names
  bool hostile = false;
};

// `cmd /c LINE` step 0: drop the first and last quote when LINE starts with a quote
// (unless it is exactly one quoted executable path with whitespace: kept).
std::string strip_slash_c_quotes(std::string_view line);

// Phase 1, command-line (not batch) mode: %NAME% of a defined NAME replaced; an
// undefined pair left as typed, the scan resuming AT its closing % (the stricter
// reading: that % may open a new pair).
std::string expand_percents(std::string_view line, const Environment& env);

// Phase 2: carets, quotes and operators.
struct Phase2 {
  std::string text;                 // the line with escaping carets removed
  bool unescaped_operator = false;  // & | < > ( ) outside quotes, not escaped
  std::string command_token;        // first token, quotes removed
  std::string from_command;         // text from the start of the command token
  std::string tail;                 // text after the command token
};
Phase2 carets_and_quotes(std::string_view line);

// CommandLineToArgvW, including its special reading of argv[0].
std::vector<std::string> command_line_to_argv(std::string_view command_line);

// How a cmd built-in (del, type) splits its arguments: on spaces and tabs outside
// literal quotes, quotes removed.
std::vector<std::string> builtin_args(std::string_view tail);

}  // namespace cmdref
