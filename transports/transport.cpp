#include "transports/transport.h"

#include "transports/command_line.h"

namespace lkr {

CommandResult Transport::run(const Command& command, std::chrono::milliseconds timeout) {
  return run_line(render_command_line(command, shell_), timeout);
}

void Transport::check_renderable(const Command& command) const {
  (void)render_command_line(command, shell_);
}

}  // namespace lkr
