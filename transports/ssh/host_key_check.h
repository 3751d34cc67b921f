// Checking a node's host key against the known_hosts file of the run.
#pragma once

#include <libssh/libssh.h>

#include <string>
#include <vector>

#include "transports/ssh/ssh_options.h"

namespace lkr::ssh {

// Accepts the connected session's host key when the known_hosts file holds it. An
// unknown key is refused (TransportError{host_key}, naming host:port and the SHA256
// fingerprint) or, with accept_new_host_keys, recorded, with a line added to
// `notices`. A changed key, or a key of another type than the one recorded, is always
// refused, naming both fingerprints. A key on an "@revoked" line of the file is refused
// for every host, before anything is recorded; an "@cert-authority" line for this host is
// refused as not supported (libssh 0.10 reads neither marker).
void verify_host_key(ssh_session session, const SshOptions& options,
                     std::vector<std::string>& notices);

// "SHA256:..." of `key`, as ssh-keygen -lf shows it.
std::string sha256_fingerprint(ssh_key key);

}  // namespace lkr::ssh
