// Several read-only commands in one line: one invocation, one round trip, instead of one
// each. Each command is followed by markers no output can forge (a fresh random nonce
// per line) that carry the command's own exit code, so the output splits back into one
// CommandResult per command, as if each had run alone.
//
// cmd.exe (cmd_quoting.h renders each command):
//   (call ) & (C0) & call echo NONCE 0 %^ERRORLEVEL%^ & echo NONCE 0 1>&2 & (call ) & (C1) ...
// - `(call )` sets ERRORLEVEL to 0 before each command: a built-in that does not set it
//   (`if exist`, `type` of a file that exists) would otherwise report the code of the
//   command before it.
// - cmd expands %VAR% when it reads the whole line, before any command runs (phase 1),
//   so a plain %ERRORLEVEL% would be the value from before the line. `%^ERRORLEVEL%^`
//   names the variable `^ERRORLEVEL`, never defined, so phase 1 leaves it as typed and
//   phase 2 drops the carets; CALL then expands the line it runs once more, when it runs,
//   after the command before it: its exit code (dbenham, "How does the Windows Command
//   Interpreter (CMD.EXE) parse scripts?", Stack Overflow 4094699, phase 1 and CALL).
//   The caret after the closing % keeps the quoting layer's rule that every % is followed
//   by ^ (cmd_quoting.cpp), so no pairing of percents across commands can expand.
// - Each command sits in parentheses: `if ... else (...)` would otherwise take the rest of
//   the line as its else branch.
// PowerShell (powershell_quoting.h, powershell_batch_script): the same markers, written
// by the script after each command.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "transports/command.h"
#include "transports/shell.h"

namespace lkr {

struct CommandResult;

// A fresh marker: "LKR" and 32 hex digits from the system's random source.
std::string new_batch_nonce();

// The line that runs `commands` in order with the markers of `nonce`. Throws
// std::invalid_argument as the single-command renderers do, and when the line would
// exceed its shell's limits (batch_fits tells beforehand).
std::string render_batch_line(const std::vector<Command>& commands, Shell shell,
                              const std::string& nonce);
// Whether render_batch_line would accept `commands` (the nonce's length is fixed).
bool batch_fits(const std::vector<Command>& commands, Shell shell);

// Output a batch line printed that does not carry its markers whole and in order: the
// line's results cannot be told apart, and none is used.
struct BatchOutputError : std::runtime_error {
  BatchOutputError(const std::string& what, std::string raw)
      : std::runtime_error(what), raw_line(std::move(raw)) {}
  std::string raw_line;  // the text where the markers went wrong (at most 200 bytes)
  bool capped = false;   // the output was cut to the transport's limit (its end is lost)
};

// Splits the output of a batch line of `count` commands into one result per command:
// its stdout and stderr, and the exit code its marker carries. Every result keeps the
// whole line's start and end. Throws BatchOutputError when a marker is missing, out of
// order, repeated, or carries no exit code, when text follows the last, or when the
// output was capped (`truncated`).
std::vector<CommandResult> split_batch_output(const CommandResult& whole, std::size_t count,
                                              const std::string& nonce);

}  // namespace lkr
