// Where the node's shell decides how a Command becomes a line: the one choice between
// the cmd.exe renderer (cmd_quoting.h) and the PowerShell one (powershell_quoting.h).
#pragma once

#include <string>
#include <string_view>

#include "transports/command.h"

namespace lkr {

// `shell_type` is the host's ansible_shell_type: "cmd" or "powershell". Throws
// std::invalid_argument for any other value (the inventory refuses those first) and
// whatever the chosen renderer throws.
std::string render_command_line(const Command& command, std::string_view shell_type);

}  // namespace lkr
