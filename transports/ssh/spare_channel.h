// A session channel opened one command ahead. An SSH channel carries one exec, and a
// channel request can only be sent once the server has confirmed the channel's open
// (it names the server's channel number), so a command on a fresh channel costs two round
// trips: the open, then the exec. Opening the next command's channel while this one's
// exec travels hides the first: the server confirms the open before it answers the exec
// (it reads its messages in order), so when this command ends the next one's channel is
// ready and it waits for its exec alone. libssh allows this (a non-blocking open, finished
// later); it cannot send an open and a request in one flight.
#pragma once

#include <libssh/libssh.h>

#include "transports/ssh/ssh_handles.h"

namespace lkr::ssh {

class SpareChannel {
 public:
  // Sends a CHANNEL_OPEN without waiting for the answer. Does nothing when a spare is
  // already on its way, or after the server refused one (its MaxSessions): from then on
  // each command opens its own channel.
  void open_ahead(ssh_session session);
  // The spare channel once the server has confirmed it, waiting for the confirmation if
  // it is still on its way (one round trip added to `round_trips`; none when it had
  // arrived already). nullptr when there is no spare, or the server refused or closed it:
  // the caller opens a channel itself.
  ChannelPtr take(ssh_session session, long long& round_trips);
  // Frees the spare; must come before the session it belongs to is freed.
  void reset();

 private:
  ChannelPtr channel_;
  bool refused_ = false;
};

}  // namespace lkr::ssh
