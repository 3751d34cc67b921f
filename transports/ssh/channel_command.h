// Running one command line on its own channel of a connected session.
#pragma once

#include <libssh/libssh.h>

#include <chrono>
#include <cstddef>
#include <string>

#include "transports/ssh/spare_channel.h"

namespace lkr::ssh {

struct RawOutput {
  int exit_code = -1;
  std::string stdout_bytes, stderr_bytes;  // in the node's code page, capped
  bool truncated = false;
};

// Runs `command_line` (ssh_channel_request_exec) and reads stdout and stderr apart as
// they arrive, until the command has exited and the channel is closed. The channel is
// `spare`'s when it has one ready; the next command's is opened ahead meanwhile.
// `endpoint` is "host:port" for messages. Adds the round trips waited for to
// `round_trips` as they happen (so a throw keeps them): the channel's open unless the
// spare was ready, and the exec. Throws TransportError: timeout when `deadline` passes
// (the channel is closed), dropped when the connection breaks or no exit status comes.
RawOutput run_on_channel(ssh_session session, SpareChannel& spare, const std::string& command_line,
                         std::chrono::steady_clock::time_point deadline,
                         std::chrono::milliseconds timeout, std::size_t max_output_bytes,
                         const std::string& endpoint, long long& round_trips);

}  // namespace lkr::ssh
