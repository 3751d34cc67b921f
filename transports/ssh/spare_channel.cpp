#include "transports/ssh/spare_channel.h"

namespace lkr::ssh {
namespace {

// ssh_channel_open_session on a channel whose open was sent: in non-blocking mode it only
// reads what already arrived (SSH_OK: confirmed, SSH_AGAIN: still on its way, SSH_ERROR:
// refused or closed); in blocking mode it waits, bounded by the session's timeout.
int finish_open(ssh_session session, ssh_channel channel, bool wait) {
  ssh_set_blocking(session, wait ? 1 : 0);
  int rc = ssh_channel_open_session(channel);
  ssh_set_blocking(session, 1);
  return rc;
}

}  // namespace

void SpareChannel::open_ahead(ssh_session session) {
  if (channel_ || refused_) return;
  ChannelPtr channel(ssh_channel_new(session));
  if (!channel) return;
  // Sends the open and returns (SSH_AGAIN) without waiting for the server.
  if (finish_open(session, channel.get(), false) == SSH_ERROR) return;
  channel_ = std::move(channel);
}

ChannelPtr SpareChannel::take(ssh_session session, long long& round_trips) {
  if (!channel_) return nullptr;
  ChannelPtr channel = std::move(channel_);
  int rc = finish_open(session, channel.get(), false);
  if (rc == SSH_AGAIN) {
    ++round_trips;
    rc = finish_open(session, channel.get(), true);
  }
  if (rc == SSH_OK) return channel;
  // A server that refuses a second session (MaxSessions 1) refuses every spare: stop
  // asking. A lost connection shows itself to the caller's own open.
  if (ssh_is_connected(session)) refused_ = true;
  return nullptr;
}

void SpareChannel::reset() {
  channel_.reset();
  refused_ = false;
}

}  // namespace lkr::ssh
