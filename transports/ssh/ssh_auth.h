// Authenticating a connected session: key file, then ssh-agent, then password.
#pragma once

#include <libssh/libssh.h>

#include <string>

#include "transports/ssh/ssh_options.h"

namespace lkr::ssh {

// Returns the method that was accepted ("key file PATH", "ssh-agent", "password"). Throws
// TransportError{auth} naming the user, host:port and what was tried (never the
// password), or TransportError{dropped} when the connection broke meanwhile. Adds the
// round trips the attempts waited for to `round_trips` (ssh_auth.cpp says how they are
// counted).
std::string authenticate(ssh_session session, const SshOptions& options, long long& round_trips);

}  // namespace lkr::ssh
