#include "transports/command_line.h"

#include <stdexcept>

#include "transports/cmd_quoting.h"
#include "transports/powershell_quoting.h"

namespace lkr {

std::string render_command_line(const Command& command, Shell shell) {
  switch (shell) {
    case Shell::cmd:
      return render_cmd_line(command);
    case Shell::powershell:
      return render_powershell_line(command);
  }
  throw std::invalid_argument("no renderer for this shell");  // every Shell is handled above
}

}  // namespace lkr
