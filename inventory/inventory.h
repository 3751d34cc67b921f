// The inventory as plain structs: clusters -> hosts -> connection settings.
// Loaded from Ansible inventories (YAML, INI, ansible-inventory --list JSON) by load_inventory().
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "transports/enum_names.h"
#include "transports/secret_text.h"
#include "transports/shell.h"
#include "transports/winrm/winrm_modes.h"

namespace lkr {

// ansible_connection: how the node is reached (the transport factory picks by it).
enum class Connection { ssh, winrm };
inline constexpr EnumName<Connection> kConnectionNames[] = {{"ssh", Connection::ssh},
                                                            {"winrm", Connection::winrm}};
constexpr std::string_view to_string(Connection c) { return name_of(c, kConnectionNames); }

// ansible_connection: winrm settings, with Ansible's variable names and defaults.
struct WinrmSettings {
  WinrmAuth auth = WinrmAuth::ntlm;         // ansible_winrm_transport
  WinrmScheme scheme = WinrmScheme::https;  // ansible_winrm_scheme (http when the port is 5985)
  std::string path = "/wsman";              // ansible_winrm_path
  bool validate_certificate = true;  // ansible_winrm_server_cert_validation: validate | ignore
  // ansible_winrm_send_cbt: NTLM and Kerberos over https bind the login to the TLS
  // connection (channel binding); over http it has no effect (as in pywinrm).
  bool send_cbt = true;
  std::string ca_trust_path;           // ansible_winrm_ca_trust_path
  std::string cert_pem, cert_key_pem;  // ansible_winrm_cert_pem / _cert_key_pem
  MessageEncryption message_encryption = MessageEncryption::automatic;  // ..._message_encryption
  int operation_timeout_s = 20;           // ansible_winrm_operation_timeout_sec
  int read_timeout_s = 30;                // ansible_winrm_read_timeout_sec
  int connect_timeout_s = 0;              // ansible_winrm_connection_timeout (0: --connect-timeout)
  std::string kerberos_service = "HTTP";  // ansible_winrm_service: the SPN's service
  std::string kerberos_hostname;          // ansible_winrm_kerberos_hostname_override
  // ansible_winrm_kinit_mode: managed (a ticket from the password, in memory) or manual
  // (the ticket already in the credential cache, the password unused).
  bool kerberos_from_password = true;
  std::string proxy;  // ansible_winrm_proxy (empty: none, whatever the environment says)
};

struct Host {
  std::string name;                         // inventory host name
  std::string system;                       // lk_system (default: name)
  std::string address;                      // ansible_host (default: name)
  int port = 22;                            // ansible_port (winrm: 5986 for https, 5985 for http)
  std::string user;                         // ansible_user (default: the operator's login name)
  SecretText password;                      // ansible_password (secret; empty when not given)
  std::string key_file;                     // ansible_ssh_private_key_file
  Connection connection = Connection::ssh;  // ansible_connection
  // ansible_shell_type as the inventory says it: OpenSSH's DefaultShell on the node. The
  // transport factory decides which shell a connection renders for (WinRS: always cmd).
  Shell shell = Shell::cmd;
  // Install folders. Defaults until preflight reads the node's %LKROOT%, %LKBIN% and
  // %ExtMirrBase%; the inventory's lk_root / lk_bin / dk_extmirrbase win where given.
  std::string lk_root = "C:\\LK";
  std::string lk_bin = "C:\\LK\\Bin";
  std::string dk_extmirrbase = "C:\\Program Files\\SIOS\\DataKeeper";
  bool lk_root_given = false, lk_bin_given = false, dk_extmirrbase_given = false;
  // %SystemRoot%: Windows' own tools (reg, hostname, chcp) are run by their full path
  // under it, never found through a search path. Read from the node before any of them.
  std::string system_root = "C:\\Windows";
  std::optional<int> codepage;  // lk_codepage; empty = detect with chcp
  std::string known_hosts;      // lk_known_hosts (empty = ~/.ssh/known_hosts)
  WinrmSettings winrm;          // read when connection is winrm
  std::string source;           // "file:line" where the host is defined
};

struct Cluster {
  std::string name;                      // group name
  std::string replaced;                  // lk_replaced: system name of the reinstalled node
  std::vector<Host> hosts;               // every member, replaced node included when listed
  std::string source;                    // "file:line" of the group
  std::string replaced_source;           // "file:line" of lk_replaced, or "--replaced"
  bool replaced_in_inventory = true;     // false: R is not listed; recovery needs --trust-replaced
  std::vector<std::string> limited_out;  // hosts left out by --limit: known, never touched
};

struct Inventory {
  std::string path;    // the sources, comma-separated
  std::string sha256;  // of every file's bytes read, in order, for run.json
  std::vector<Cluster> clusters;
  std::vector<std::string> warnings;  // unknown variables etc., each with file:line
  // Every group of the file (clusters or not) -> its hosts, recursively: --limit matches these.
  std::map<std::string, std::vector<std::string>> groups;
  // Upper-cased lk_system of every cluster host in the file -> its cluster: a replaced node
  // named in one cluster must not be a node of another, even after --cluster narrowed the list.
  std::map<std::string, std::string> system_cluster;
};

// Errors name the file, the line and what to do.
struct InventoryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads, parses and checks every source (files, or folders of them, as inventory_sources()
// gives them) with the group_vars/ and host_vars/ beside each; every cluster is complete and
// consistent after it.
// `playbook_dir` (playbook_dir_source()) adds the group_vars/ and host_vars/ beside a playbook.
Inventory load_inventory(const std::vector<std::string>& sources,
                         const std::string& playbook_dir = "");
Inventory load_inventory(const std::string& path);

// --cluster: only the named clusters, in the order of the file. Empty names: every cluster.
// Throws for a name that is not a cluster, suggesting the nearest one.
Inventory select_clusters(const Inventory& inventory, const std::vector<std::string>& names);

// --replaced: the reinstalled node's system name, replacing lk_replaced. Needs exactly one
// cluster (select it first); the name is checked as lk_replaced is.
void apply_replaced_override(Inventory& inventory, const std::string& system);

// --limit with Ansible's patterns: host or group names, `*`/`?`/`[...]` globs, `~regex`,
// separated by `,` or `:`, `!name` excludes, `&name` intersects. Hosts left out are moved to
// Cluster::limited_out; clusters with no host left are dropped. Throws when nothing is left.
void apply_limit(Inventory& inventory, const std::string& pattern);

}  // namespace lkr
