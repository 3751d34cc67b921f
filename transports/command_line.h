// Where the connection's shell decides how a Command becomes a line: the one choice
// between the cmd.exe renderer (cmd_quoting.h) and the PowerShell one
// (powershell_quoting.h). Each renderer refuses a line past its shell's limits (cmd.exe's
// 8191 UTF-16 units, CreateProcess's 32767), so every Command a transport runs is checked
// here, once, before anything is sent.
#pragma once

#include <string>

#include "transports/command.h"
#include "transports/shell.h"

namespace lkr {

// Throws std::invalid_argument, as the chosen renderer does.
std::string render_command_line(const Command& command, Shell shell);

}  // namespace lkr
