// The node's cmd.exe: runs one command line the way `cmd.exe /c <line>` would.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tests/lab/node/command_context.h"
#include "tests/lab/node/commands.h"
#include "tests/lab/node/installed_programs.h"
#include "tests/lab/node/terminal.h"

namespace lab {

// Runs `raw_line` (UTF-8, as the SSH client sent it) on the node in `node_dir`, writing to
// `terminal`; returns the exit code cmd.exe would return. The per-node latency is waited
// once per line, before anything runs.
struct LineOptions {
  // Started by WinRS (the node's WinRM endpoint), which runs cmd.exe whatever OpenSSH's
  // DefaultShell says and sets the console code page to the shell's WINRS_CODEPAGE.
  bool winrs = false;
  int codepage = 0;  // 0: the node's own
};
int run_command_line(const std::string& node_dir, const std::string& raw_line, Terminal& terminal,
                     const LineOptions& options = {});

// For the PowerShell front end (powershell.h), on a session prepared by run_command_line:
// starts the program `command_line` names as CreateProcess would (no shell, no built-ins),
// journaled with session.raw_line; `missing` reports and returns the exit code when
// there is no such program.
int start_process(LineSession& session, const std::string& command_line,
                  const std::function<int()>& missing);
// Runs a command the front end implements itself (a cmdlet), journaled and open to faults
// under `name`.
int run_handler(LineSession& session, CommandHandler handler, const std::string& name,
                std::vector<std::string> argv);

// Program lookup as cmd does it: a path (absolute, or relative to cwd), or a bare name
// searched in cwd then %PATH%, each with the %PATHEXT% extensions and as given.
std::optional<InstalledProgram> resolve_program(const LineSession& session,
                                                const std::string& name);

}  // namespace lab
