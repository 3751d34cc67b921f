#include "transports/ssh/host_key_check.h"

#include <fstream>
#include <optional>

#include "transports/ssh/ssh_handles.h"
#include "transports/transport.h"

namespace lkr::ssh {
namespace {

using Kind = TransportError::Kind;

std::string endpoint_of(const SshOptions& o) { return o.host + ":" + std::to_string(o.port); }

std::string describe(ssh_key key) {
  return std::string(ssh_key_type_to_char(ssh_key_type(key))) + " " + sha256_fingerprint(key);
}

// The host as known_hosts names it.
std::string known_hosts_name(const SshOptions& o) {
  return o.port == 22 ? o.host : "[" + o.host + "]:" + std::to_string(o.port);
}

// The keys the known_hosts file records for this host, described with their line
// numbers ("a key" if none is found: a hashed entry libssh matched itself).
// libssh hands back the matching entry only when the key matches, so read the file.
std::string recorded_keys(const SshOptions& o) {
  std::string host = known_hosts_name(o);
  std::ifstream file(o.known_hosts_file);
  std::string line, keys;
  for (int number = 1; std::getline(file, line); ++number) {
    ssh_knownhosts_entry* entry = nullptr;
    if (ssh_known_hosts_parse_line(host.c_str(), line.c_str(), &entry) == SSH_OK && entry) {
      if (entry->publickey)
        keys += (keys.empty() ? "" : ", ") + describe(entry->publickey) + " (line " +
                std::to_string(number) + ")";
    }
    ssh_knownhosts_entry_free(entry);
  }
  return keys.empty() ? "a key" : keys;
}

// The command that removes this host's lines from the file (the operator runs it once
// the new key is verified on the node).
std::string keygen_remove(const SshOptions& o, const std::string& file) {
  return "ssh-keygen -f '" + file + "' -R '" + known_hosts_name(o) + "'";
}

[[noreturn]] void refuse(const std::string& what) { throw TransportError(Kind::host_key, what); }

// The rest of a known_hosts line after `marker` ("@revoked"), or nullopt without it.
std::optional<std::string> after_marker(const std::string& line, const std::string& marker) {
  size_t at = line.find_first_not_of(" \t");
  if (at == std::string::npos || line.compare(at, marker.size(), marker) != 0) return std::nullopt;
  at += marker.size();
  if (at >= line.size() || (line[at] != ' ' && line[at] != '\t')) return std::nullopt;
  return line.substr(at);
}

// libssh 0.10 reads known_hosts markers as host names, so "@revoked" lines match nothing and
// "@cert-authority" lines are skipped: both are read here, before libssh decides. A revoked
// key is refused for every host ("must not ever be accepted", sshd(8)), whatever hosts its
// line names; a certificate authority for this host is refused as unsupported, since
// trusting the plain key instead would not be what the file asks for.
void check_markers(const SshOptions& o, ssh_key server_key, const std::string& presented,
                   const std::string& file) {
  std::ifstream in(o.known_hosts_file);
  std::string host = known_hosts_name(o), line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (auto rest = after_marker(line, "@revoked")) {
      ssh_knownhosts_entry* entry = nullptr;
      bool revoked = ssh_known_hosts_parse_line(nullptr, rest->c_str(), &entry) == SSH_OK &&
                     entry && entry->publickey &&
                     ssh_key_cmp(entry->publickey, server_key, SSH_KEY_CMP_PUBLIC) == 0;
      ssh_knownhosts_entry_free(entry);
      if (revoked)
        refuse("host key of " + endpoint_of(o) + " (" + presented + ") is REVOKED by line " +
               std::to_string(number) + " of " + file +
               ": it is never accepted nor recorded. The node must get a new host key; " +
               "verify it on the node and add it to " + file);
    } else if (auto ca = after_marker(line, "@cert-authority")) {
      ssh_knownhosts_entry* entry = nullptr;
      bool for_this_host =
          ssh_known_hosts_parse_line(host.c_str(), ca->c_str(), &entry) == SSH_OK && entry;
      ssh_knownhosts_entry_free(entry);
      if (for_this_host)
        throw TransportError(
            Kind::host_key,
            "line " + std::to_string(number) + " of " + file + " names a @cert-authority for " +
                endpoint_of(o) + ": host certificates are not supported (libssh). Replace it " +
                "with the host's own key (" + presented + ", once verified on the node)");
    }
  }
}

void record_new_key(ssh_session session, const SshOptions& o, const std::string& presented,
                    std::vector<std::string>& notices) {
  if (ssh_session_update_known_hosts(session) != SSH_OK) {
    refuse("cannot record the host key of " + endpoint_of(o) + " (" + presented + ") in " +
           o.known_hosts_file + ": " + ssh_get_error(session) +
           "; check that the file is writable");
  }
  notices.push_back("host key of " + endpoint_of(o) + " was not known; recorded " + presented +
                    " in " + o.known_hosts_file + " (--accept-new-host-keys)");
}

}  // namespace

std::string sha256_fingerprint(ssh_key key) {
  unsigned char* hash = nullptr;
  size_t length = 0;
  if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != 0) return "?";
  char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
  std::string fingerprint = text ? text : "?";
  ssh_string_free_char(text);
  ssh_clean_pubkey_hash(&hash);
  return fingerprint;
}

void verify_host_key(ssh_session session, const SshOptions& o, std::vector<std::string>& notices) {
  ssh_key raw = nullptr;
  if (ssh_get_server_publickey(session, &raw) != SSH_OK) {
    throw TransportError(Kind::protocol, "no host key received from " + endpoint_of(o) + ": " +
                                             ssh_get_error(session));
  }
  KeyPtr server_key(raw);
  const std::string presented = describe(server_key.get());
  const std::string file = o.known_hosts_file.empty() ? "the known_hosts file" : o.known_hosts_file;
  if (!o.known_hosts_file.empty()) check_markers(o, server_key.get(), presented, file);
  switch (ssh_session_is_known_server(session)) {
    case SSH_KNOWN_HOSTS_OK:
      return;
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      if (o.accept_new_host_keys) return record_new_key(session, o, presented, notices);
      refuse("host key of " + endpoint_of(o) + " is not known: it presented " + presented +
             ". Check that fingerprint on the node, then add the key to " + file +
             " (or let lkrecover record keys it has never seen: --accept-new-host-keys)");
    case SSH_KNOWN_HOSTS_CHANGED:
      refuse("HOST KEY CHANGED for " + endpoint_of(o) + ": " + file + " records " +
             recorded_keys(o) + " but the host presented " + presented +
             ". Someone may be intercepting the connection, or the node was reinstalled: "
             "verify the new key on the node, then remove the old line with `" +
             keygen_remove(o, file) + "` and connect again (--accept-new-host-keys records it)");
    case SSH_KNOWN_HOSTS_OTHER:
      refuse("host key of " + endpoint_of(o) + " is of another type than the one " + file +
             " records (" + recorded_keys(o) + "); the host presented " + presented +
             ". Verify the key on the node and update " + file);
    case SSH_KNOWN_HOSTS_ERROR:
      break;
  }
  refuse("cannot check the host key of " + endpoint_of(o) + " against " + file + ": " +
         ssh_get_error(session));
}

}  // namespace lkr::ssh
