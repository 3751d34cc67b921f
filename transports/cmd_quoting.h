// The only code that turns a Command into a command line for cmd.exe (what OpenSSH for
// Windows runs as `cmd.exe /c <line>` when cmd is the default shell), and the only code
// that renders a Command for humans (with secrets masked).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "transports/command.h"

namespace lkr {

// cmd.exe refuses command lines longer than this many characters (UTF-16 code units).
inline constexpr std::size_t kCmdMaxLineChars = 8191;

// CreateProcessW refuses a command line longer than this, the terminating NUL included.
// OpenSSH for Windows starts `<cmd.exe path> /c <line>` with it, so that whole string
// must fit as well.
inline constexpr std::size_t kCreateProcessMaxChars = 32767;

// The longest `<cmd.exe path> /c ` OpenSSH can put before the line: a quoted path of up
// to MAX_PATH (260) characters, " /c ". The exact path (%SystemRoot%\System32\cmd.exe, or
// the DefaultShell registry value) does not matter to the limit, only this bound.
inline constexpr std::size_t kCmdProcessPrefixMaxChars = 2 + 260 + 4;

// Whether a line of `line_units` UTF-16 code units fits both limits.
constexpr bool fits_cmd_limits(std::size_t line_units) {
  return line_units <= kCmdMaxLineChars &&
         kCmdProcessPrefixMaxChars + line_units + 1 <= kCreateProcessMaxChars;
}
// Today cmd's limit is the binding one; this says so, and render_cmd_line still checks
// both, so a change to either number cannot silently drop a check.
static_assert(kCmdProcessPrefixMaxChars + kCmdMaxLineChars + 1 <= kCreateProcessMaxChars);

// The command line that makes cmd.exe run `command` with exactly its program and
// arguments: CommandLineToArgvW gives the program back the intended argv, and no cmd
// metacharacter (& | < > ( ) ^ % ! ") in an argument acts as anything but text.
// Assumes cmd's defaults: delayed expansion off, no AutoRun that changes parsing.
// Throws std::invalid_argument (naming the program and the argument's position, never
// its value) when an argument holds NUL, CR or LF, when a program or path holds a
// character it cannot hold (" in a Windows path), or when the line would exceed
// kCmdMaxLineChars, or `<cmd.exe> /c <line>` kCreateProcessMaxChars (see fits_cmd_limits):
// checked here, before anything is sent.
std::string render_cmd_line(const Command& command);

// The same command as render_cmd_line, for a place inside a longer line (a batch:
// command_batch.h): no /c quote pair (the longer line does not start with it) and no
// length check (the caller checks the whole line with fits_cmd_limits). Throws
// std::invalid_argument for what render_cmd_line refuses in a command itself.
std::string render_cmd_command(const Command& command);

// One argument quoted so that CommandLineToArgvW (and the MSVCRT) give it back as is,
// with no cmd escaping: for programs started without cmd (the PowerShell renderer's
// ProcessStartInfo.Arguments). Arguments holding `%` are quoted too (harmless there).
std::string windows_argv_quote(std::string_view arg);

// The same text as render_cmd_line with every secret argument replaced by "********";
// the only rendering for logs, the console and the audit trail. Never throws on bad
// input: characters a line may not carry are shown as \xNN.
std::string display(const Command& command);

}  // namespace lkr
