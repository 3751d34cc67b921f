// The inventory as plain structs: clusters -> hosts -> connection settings.
// Loaded from Ansible-style YAML (or the same structure in JSON) by load_inventory().
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lkr {

struct Host {
  std::string name;       // inventory host name
  std::string system;     // lk_system (default: name)
  std::string address;    // ansible_host (default: name)
  int port = 22;          // ansible_port
  std::string user;       // ansible_user (default: the operator's login name)
  std::string password;   // ansible_password (secret; empty when not given)
  std::string key_file;   // ansible_ssh_private_key_file
  std::string connection = "ssh";  // ansible_connection: ssh | winrm
  std::string shell_type = "cmd";  // ansible_shell_type: cmd | powershell
  std::string lk_root = "C:\\LK";
  std::string dk_extmirrbase = "C:\\Program Files\\SIOS\\DataKeeper";
  std::optional<int> codepage;     // lk_codepage; empty = detect with chcp
  std::string known_hosts;         // lk_known_hosts (empty = ~/.ssh/known_hosts)
  std::map<std::string, std::string> vars;  // every resolved variable, for later transports
  std::string source;                       // "file:line" where the host is defined
};

struct Cluster {
  std::string name;          // group name
  std::string replaced;      // lk_replaced: system name of the reinstalled node
  std::vector<Host> hosts;   // every member, replaced node included when listed
  std::string source;        // "file:line" of the group
};

struct Inventory {
  std::string path;
  std::string sha256;        // of the file's bytes, for run.json
  std::vector<Cluster> clusters;
  std::vector<std::string> warnings;  // unknown variables etc., each with file:line
};

// Errors name the file, the line and what to do.
struct InventoryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Inventory load_inventory(const std::string& path);

}  // namespace lkr
