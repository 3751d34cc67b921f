// The Ansible YAML inventory `lab up` writes for the product: one group per cluster.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tests/lab/driver/scenario.h"

namespace lab {

struct InventoryHost {
  const ClusterSpec* cluster;
  const NodeSpec* node;
  int port;  // where its sshd listens
};

struct InventorySettings {
  std::string user, private_key, known_hosts;
};

// Hosts are named by their LifeKeeper system name; a name found in several clusters
// becomes "CLUSTER/SYSTEM" (Ansible host names are global). lk_system always holds
// the plain name.
// What the inventory says about WinRM nodes ("transport": "winrm").
struct WinrmInventory {
  std::string ca;                        // ansible_winrm_ca_trust_path of HTTPS nodes
  std::map<const NodeSpec*, int> ports;  // where lab-winrm serves the node's scheme
                                         // (absent: 5985 for http, 5986 for https)
  std::string client_cert, client_key;   // certificate auth: ansible_winrm_cert_(key_)pem
};

std::string inventory_yaml(const Scenario& scenario, const std::vector<InventoryHost>& hosts,
                           const InventorySettings& settings, const WinrmInventory& winrm = {});

}  // namespace lab
