#include "transports/ssh/ssh_auth.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "transports/ssh/ssh_handles.h"
#include "transports/transport.h"

namespace lkr::ssh {
namespace {

using Kind = TransportError::Kind;

std::string who(const SshOptions& o) {
  return (o.user.empty() ? std::string() : o.user + "@") + o.host + ":" + std::to_string(o.port);
}

// SSH_AUTH_ERROR means the connection itself failed, not the credentials.
bool accepted(ssh_session session, int rc, const SshOptions& o) {
  if (rc == SSH_AUTH_ERROR) {
    throw TransportError(
        Kind::dropped,
        "connection to " + who(o) + " failed during authentication: " + ssh_get_error(session));
  }
  return rc == SSH_AUTH_SUCCESS;
}

bool try_key_file(ssh_session session, const SshOptions& o, std::vector<std::string>& tried) {
  tried.push_back("key file " + o.key_file);
  ssh_key raw = nullptr;
  if (ssh_pki_import_privkey_file(o.key_file.c_str(), nullptr, nullptr, nullptr, &raw) != SSH_OK) {
    tried.back() += " (unreadable, or protected by a passphrase)";
    return false;
  }
  KeyPtr key(raw);
  return accepted(session, ssh_userauth_publickey(session, nullptr, key.get()), o);
}

}  // namespace

std::string authenticate(ssh_session session, const SshOptions& o) {
  std::vector<std::string> tried;
  if (!o.key_file.empty() && try_key_file(session, o, tried)) return tried.back();
  const char* agent = std::getenv("SSH_AUTH_SOCK");
  if (agent != nullptr && *agent != '\0') {
    tried.push_back("ssh-agent");
    if (accepted(session, ssh_userauth_agent(session, nullptr), o)) return tried.back();
  }
  if (!o.password.empty()) {
    tried.push_back("password");
    if (accepted(session, ssh_userauth_password(session, nullptr, o.password.c_str()), o))
      return tried.back();
  }
  std::string list;
  for (const auto& t : tried) list += (list.empty() ? "" : ", ") + t;
  throw TransportError(Kind::auth,
                       "authentication to " + who(o) + " failed (tried: " +
                           (list.empty() ? "nothing: no key file, agent or password given" : list) +
                           "). Check ansible_user and that the key is in the node's "
                           "authorized_keys, or give the right key file or password");
}

}  // namespace lkr::ssh
