// The shell a node's command lines are written for (Ansible's shell plugins): it belongs
// to the connection, which renders every Command for it (command_line.h).
#pragma once

#include <string_view>

#include "transports/enum_names.h"

namespace lkr {

enum class Shell {
  cmd,         // cmd.exe: OpenSSH for Windows' default shell, and what WinRS always runs
  powershell,  // OpenSSH's DefaultShell set to powershell.exe
};

// ansible_shell_type's values.
inline constexpr EnumName<Shell> kShellNames[] = {{"cmd", Shell::cmd},
                                                  {"powershell", Shell::powershell}};

constexpr std::string_view to_string(Shell shell) { return name_of(shell, kShellNames); }

}  // namespace lkr
