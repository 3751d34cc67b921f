// The Ansible YAML inventory `lab up` writes for the product: one group per cluster.
#pragma once

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
std::string inventory_yaml(const Scenario& scenario, const std::vector<InventoryHost>& hosts,
                           const InventorySettings& settings);

}  // namespace lab
