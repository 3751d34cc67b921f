// Owning handles for libssh objects, and libssh's one-time initialisation.
#pragma once

#include <libssh/libssh.h>

#include <memory>

namespace lkr::ssh {

struct SessionFree {
  void operator()(ssh_session s) const {
    ssh_disconnect(s);
    ssh_free(s);
  }
};
struct KeyFree {
  void operator()(ssh_key k) const { ssh_key_free(k); }
};
struct ChannelFree {
  void operator()(ssh_channel c) const { ssh_channel_free(c); }
};
struct EventFree {
  void operator()(ssh_event e) const { ssh_event_free(e); }
};

using SessionPtr = std::unique_ptr<ssh_session_struct, SessionFree>;
using KeyPtr = std::unique_ptr<ssh_key_struct, KeyFree>;
using ChannelPtr = std::unique_ptr<ssh_channel_struct, ChannelFree>;
using EventPtr = std::unique_ptr<ssh_event_struct, EventFree>;

// ssh_init() exactly once per process, whichever thread connects first: sessions of
// different hosts are then used from different threads at once.
void ensure_libssh_initialised();

}  // namespace lkr::ssh
