#include "transports/ssh/channel_command.h"

#include <libssh/callbacks.h>

#include <algorithm>

#include "transports/ssh/ssh_handles.h"
#include "transports/transport.h"

namespace lkr::ssh {
namespace {

using Kind = TransportError::Kind;
using Clock = std::chrono::steady_clock;

// What the channel's callbacks saw. Data is consumed in the callback (so libssh's
// window keeps opening and neither stream can stall the other), up to the cap.
struct ChannelState {
  RawOutput output;
  std::size_t cap = 0;
  bool closed = false;
  bool exit_status_seen = false;
};

int on_data(ssh_session, ssh_channel, void* data, uint32_t length, int is_stderr, void* user) {
  auto* state = static_cast<ChannelState*>(user);
  std::string& stream = is_stderr ? state->output.stderr_bytes : state->output.stdout_bytes;
  std::size_t room = state->cap > stream.size() ? state->cap - stream.size() : 0;
  std::size_t kept = std::min<std::size_t>(room, length);
  stream.append(static_cast<const char*>(data), kept);
  if (kept < length) state->output.truncated = true;
  return static_cast<int>(length);
}

void on_close(ssh_session, ssh_channel, void* user) {
  static_cast<ChannelState*>(user)->closed = true;
}

void on_exit_status(ssh_session, ssh_channel, int status, void* user) {
  auto* state = static_cast<ChannelState*>(user);
  state->output.exit_code = status;
  state->exit_status_seen = true;
}

std::string seconds_text(std::chrono::milliseconds timeout) {
  if (timeout.count() % 1000 == 0) return std::to_string(timeout.count() / 1000) + " s";
  return std::to_string(timeout.count()) + " ms";
}

[[noreturn]] void dropped(ssh_session session, const std::string& endpoint,
                          const std::string& when) {
  throw TransportError(Kind::dropped, "connection to " + endpoint + " dropped " + when + " (" +
                                          ssh_get_error(session) +
                                          "); the command's outcome is unknown: check the "
                                          "node before running it again");
}

// A channel opened now (one round trip). A server at its MaxSessions refuses it while it
// has not yet released the previous command's session: OpenSSH frees a closed channel's
// session only after it has handled every message that came with our close, so the open
// asked for again once the refusal is here finds it released. Nothing was started, so
// asking again is safe; a second refusal is reported as before.
ChannelPtr open_now(ssh_session session, const std::string& endpoint, long long& round_trips) {
  for (int attempt = 1;; ++attempt) {
    ++round_trips;
    ChannelPtr channel(ssh_channel_new(session));
    if (channel && ssh_channel_open_session(channel.get()) == SSH_OK) return channel;
    bool refused =
        channel && ssh_is_connected(session) && ssh_get_error_code(session) == SSH_REQUEST_DENIED;
    if (!refused || attempt == 2) dropped(session, endpoint, "before a command could start");
  }
}

// The spare channel opened during the previous command, else one opened now.
ChannelPtr open_channel(ssh_session session, SpareChannel& spare, const std::string& endpoint,
                        long long& round_trips) {
  if (ChannelPtr channel = spare.take(session, round_trips)) return channel;
  return open_now(session, endpoint, round_trips);
}

// Waits for the channel's close (OpenSSH sends exit-status, EOF, then close).
void pump_until_closed(ssh_session session, ChannelState& state, Clock::time_point deadline,
                       std::chrono::milliseconds timeout, const std::string& endpoint) {
  EventPtr event(ssh_event_new());
  ssh_event_add_session(event.get(), session);
  while (!state.closed) {
    auto now = Clock::now();
    if (now >= deadline) {
      ssh_event_remove_session(event.get(), session);
      throw TransportError(Kind::timeout, "command timed out after " + seconds_text(timeout) +
                                              " on " + endpoint +
                                              "; its channel was closed, the command may "
                                              "still be running on the node");
    }
    auto slice = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    int wait_ms = static_cast<int>(std::min<std::chrono::milliseconds::rep>(slice.count(), 1000));
    if (ssh_event_dopoll(event.get(), std::max(wait_ms, 1)) == SSH_ERROR ||
        !ssh_is_connected(session)) {
      ssh_event_remove_session(event.get(), session);
      dropped(session, endpoint, "while a command was running");
    }
  }
  ssh_event_remove_session(event.get(), session);
}

}  // namespace

RawOutput run_on_channel(ssh_session session, SpareChannel& spare, const std::string& command_line,
                         Clock::time_point deadline, std::chrono::milliseconds timeout,
                         std::size_t max_output_bytes, const std::string& endpoint,
                         long long& round_trips) {
  ChannelPtr channel = open_channel(session, spare, endpoint, round_trips);
  // Before the exec: the server confirms this open before it answers the exec, so the
  // next command finds its channel ready (spare_channel.h).
  spare.open_ahead(session);
  ChannelState state;
  state.cap = max_output_bytes;
  ssh_channel_callbacks_struct callbacks{};
  callbacks.userdata = &state;
  callbacks.channel_data_function = on_data;
  callbacks.channel_close_function = on_close;
  callbacks.channel_exit_status_function = on_exit_status;
  ssh_callbacks_init(&callbacks);
  // Callbacks first: output may arrive with the reply to the exec request.
  ssh_set_channel_callbacks(channel.get(), &callbacks);
  try {
    // The exec's reply comes back as the command starts; its output, exit status and
    // close follow without another request of ours: one round trip for the whole run.
    // (No pty or env request is sent, and the data callback consumes everything, so
    // libssh never waits on a window adjust.)
    ++round_trips;
    if (ssh_channel_request_exec(channel.get(), command_line.c_str()) != SSH_OK) {
      dropped(session, endpoint, "while starting a command");
    }
    pump_until_closed(session, state, deadline, timeout, endpoint);
  } catch (const TransportError& e) {
    ssh_remove_channel_callbacks(channel.get(), &callbacks);
    if (e.kind == Kind::timeout) ssh_channel_close(channel.get());
    throw;
  }
  ssh_remove_channel_callbacks(channel.get(), &callbacks);
  if (!state.exit_status_seen) {
    throw TransportError(Kind::dropped, "the command on " + endpoint +
                                            " ended without an exit status; its outcome is "
                                            "unknown: check the node before running it again");
  }
  return std::move(state.output);
}

}  // namespace lkr::ssh
