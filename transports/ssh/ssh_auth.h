// Authenticating a connected session: key file, then ssh-agent, then password.
#pragma once

#include <libssh/libssh.h>

#include "transports/ssh/ssh_options.h"

namespace lkr::ssh {

// Throws TransportError{auth} naming the user, host:port and what was tried (never the
// password), or TransportError{dropped} when the connection broke meanwhile.
void authenticate(ssh_session session, const SshOptions& options);

}  // namespace lkr::ssh
