// The inventory as plain structs: clusters -> hosts -> connection settings.
// Loaded from Ansible-style YAML (or the same structure in JSON) by load_inventory().
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lkr {

// ansible_connection: winrm settings, with Ansible's variable names and defaults.
struct WinrmSettings {
  std::string transport = "ntlm";  // ansible_winrm_transport: basic | ntlm | kerberos | certificate
  std::string scheme = "https";    // ansible_winrm_scheme (default http when ansible_port is 5985)
  std::string path = "/wsman";     // ansible_winrm_path
  bool validate_certificate = true;    // ansible_winrm_server_cert_validation: validate | ignore
  std::string ca_trust_path;           // ansible_winrm_ca_trust_path
  std::string cert_pem, cert_key_pem;  // ansible_winrm_cert_pem / _cert_key_pem
  std::string message_encryption = "auto";  // ansible_winrm_message_encryption: auto|always|never
  int operation_timeout_s = 20;             // ansible_winrm_operation_timeout_sec
  int read_timeout_s = 30;                  // ansible_winrm_read_timeout_sec
};

struct Host {
  std::string name;                // inventory host name
  std::string system;              // lk_system (default: name)
  std::string address;             // ansible_host (default: name)
  int port = 22;                   // ansible_port (winrm: 5986 for https, 5985 for http)
  std::string user;                // ansible_user (default: the operator's login name)
  std::string password;            // ansible_password (secret; empty when not given)
  std::string key_file;            // ansible_ssh_private_key_file
  std::string connection = "ssh";  // ansible_connection: ssh | winrm
  std::string shell_type = "cmd";  // ansible_shell_type: cmd | powershell
  // Install folders. Defaults until preflight reads the node's %LKROOT%, %LKBIN% and
  // %ExtMirrBase%; the inventory's lk_root / lk_bin / dk_extmirrbase win where given.
  std::string lk_root = "C:\\LK";
  std::string lk_bin = "C:\\LK\\Bin";
  std::string dk_extmirrbase = "C:\\Program Files\\SIOS\\DataKeeper";
  bool lk_root_given = false, lk_bin_given = false, dk_extmirrbase_given = false;
  std::optional<int> codepage;  // lk_codepage; empty = detect with chcp
  std::string known_hosts;      // lk_known_hosts (empty = ~/.ssh/known_hosts)
  WinrmSettings winrm;          // read when connection == "winrm"
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
  std::string path;
  std::string sha256;  // of the file's bytes, for run.json
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

// Reads, parses and checks the whole file; every cluster is complete and consistent after it.
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
