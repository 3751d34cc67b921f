// One line on how a host was reached, for -vvv: transport, user, address and port, and
// what the transport adds once connected (auth method, host key fingerprint). Never a
// secret: no password, no key material, only the key file's path and the server's key.
#pragma once

#include <string>

#include "inventory/inventory.h"
#include "transports/transport.h"

namespace lkr {

// "ssh Administrator@10.200.8.25:22, auth key file /root/.ssh/id_ed25519, host key
// ssh-ed25519 SHA256:..." or "winrm http://10.200.8.25:5985/wsman, user Administrator,
// auth ntlm, message encryption auto"
std::string connection_text(const Host& host, const Transport& transport);

}  // namespace lkr
