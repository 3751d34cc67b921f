#include "transports/command_line.h"

#include <stdexcept>

#include "transports/cmd_quoting.h"
#include "transports/powershell_quoting.h"

namespace lkr {

std::string render_command_line(const Command& command, std::string_view shell_type) {
  if (shell_type == "cmd") return render_cmd_line(command);
  if (shell_type == "powershell") return render_powershell_line(command);
  throw std::invalid_argument("unknown shell type \"" + std::string(shell_type) +
                              "\": ansible_shell_type must be cmd or powershell");
}

}  // namespace lkr
