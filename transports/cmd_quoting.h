// The only code that turns a Command into a command line for cmd.exe (what OpenSSH for
// Windows runs as `cmd.exe /c <line>` when cmd is the default shell), and the only code
// that renders a Command for humans (with secrets masked).
#pragma once

#include <cstddef>
#include <string>

#include "transports/command.h"

namespace lkr {

// cmd.exe refuses command lines longer than this many characters (UTF-16 code units).
inline constexpr std::size_t kCmdMaxLineChars = 8191;

// The command line that makes cmd.exe run `command` with exactly its program and
// arguments: CommandLineToArgvW gives the program back the intended argv, and no cmd
// metacharacter (& | < > ( ) ^ % ! ") in an argument acts as anything but text.
// Assumes cmd's defaults: delayed expansion off, no AutoRun that changes parsing.
// Throws std::invalid_argument (naming the program and the argument's position, never
// its value) when an argument holds NUL, CR or LF, when a program or path holds a
// character it cannot hold (" in a Windows path), or when the line would exceed
// kCmdMaxLineChars.
std::string render_cmd_line(const Command& command);

// The same text as render_cmd_line with every secret argument replaced by "********";
// the only rendering for logs, the console and the audit trail. Never throws on bad
// input: characters a line may not carry are shown as \xNN.
std::string display(const Command& command);

}  // namespace lkr
