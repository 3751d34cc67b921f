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

// SSH_AUTH_ERROR means the connection itself failed, not the credentials; SSH_AUTH_AGAIN
// (blocking mode) that the server did not answer within the connect timeout. Neither is
// a refused login: taken for one, a busy node would be reported with bad credentials.
bool accepted(ssh_session session, int rc, const SshOptions& o) {
  if (rc == SSH_AUTH_ERROR) {
    throw TransportError(
        Kind::dropped,
        "connection to " + who(o) + " failed during authentication: " + ssh_get_error(session));
  }
  if (rc == SSH_AUTH_AGAIN) {
    throw TransportError(Kind::timeout, "no answer from " + who(o) +
                                            " during authentication within the connect timeout");
  }
  return rc == SSH_AUTH_SUCCESS;
}

// The round trips a login attempt waits for, as libssh drives it: the first attempt is
// preceded by the "ssh-userauth" service request (one round trip); a key or a password is
// sent with its signature or itself (one); the agent's first key is offered, then signed
// (two; each further key the server declines costs one more, not counted here).
constexpr long long kServiceRequestRoundTrips = 1;
constexpr long long kKeyRoundTrips = 1;
constexpr long long kAgentRoundTrips = 2;
constexpr long long kPasswordRoundTrips = 1;

// Counts a login attempt's round trips, the service request with the first one.
void count_attempt(long long& round_trips, bool& first, long long attempt) {
  round_trips += attempt + (first ? kServiceRequestRoundTrips : 0);
  first = false;
}

bool try_key_file(ssh_session session, const SshOptions& o, std::vector<std::string>& tried,
                  long long& round_trips, bool& first) {
  tried.push_back("key file " + o.key_file);
  ssh_key raw = nullptr;
  if (ssh_pki_import_privkey_file(o.key_file.c_str(), nullptr, nullptr, nullptr, &raw) != SSH_OK) {
    tried.back() += " (unreadable, or protected by a passphrase)";
    return false;
  }
  KeyPtr key(raw);
  count_attempt(round_trips, first, kKeyRoundTrips);
  return accepted(session, ssh_userauth_publickey(session, nullptr, key.get()), o);
}

}  // namespace

std::string authenticate(ssh_session session, const SshOptions& o, long long& round_trips) {
  std::vector<std::string> tried;
  bool first = true;
  if (!o.key_file.empty() && try_key_file(session, o, tried, round_trips, first))
    return tried.back();
  const char* agent = std::getenv("SSH_AUTH_SOCK");
  if (agent != nullptr && *agent != '\0') {
    tried.push_back("ssh-agent");
    count_attempt(round_trips, first, kAgentRoundTrips);
    if (accepted(session, ssh_userauth_agent(session, nullptr), o)) return tried.back();
  }
  if (!o.password.empty()) {
    tried.push_back("password");
    count_attempt(round_trips, first, kPasswordRoundTrips);
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
