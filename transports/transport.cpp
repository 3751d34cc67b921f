#include "transports/transport.h"

#include "transports/command_batch.h"
#include "transports/command_line.h"

namespace lkr {

CommandResult Transport::run(const Command& command, std::chrono::milliseconds timeout) {
  return run_line(render_command_line(command, shell_), timeout);
}

std::vector<CommandResult> Transport::run_batch(const std::vector<Command>& commands,
                                                std::chrono::milliseconds timeout) {
  const std::string nonce = new_batch_nonce();
  CommandResult whole = run_line(render_batch_line(commands, shell_, nonce), timeout);
  return split_batch_output(whole, commands.size(), nonce);
}

void Transport::check_renderable(const Command& command) const {
  (void)render_command_line(command, shell_);
}

}  // namespace lkr
