// Test driver: loads an inventory as lkrecover does and prints, per host, its groups and its
// connection variables as JSON, for the corpus test to compare with ansible-inventory.
//   inventory_dump [-i SOURCE]... [--playbook-dir DIR]   (no -i: ANSIBLE_INVENTORY, then
//   ansible.cfg)
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inventory/group_tree.h"
#include "inventory/inventory.h"
#include "inventory/inventory_sources.h"

namespace {

// ansible_host, ansible_port, ...: what decides where and how a node is reached.
bool is_connection_variable(const std::string& name) {
  for (const char* prefix : {"ansible_host", "ansible_port", "ansible_user", "ansible_connection",
                             "ansible_shell_type", "ansible_winrm_", "lk_"})
    if (name.rfind(prefix, 0) == 0) return true;
  return false;
}

nlohmann::json dump(const std::vector<std::string>& sources, const std::string& playbook_dir) {
  lkr::Inventory inv = lkr::load_inventory(sources, playbook_dir);  // every check lkrecover makes
  lkr::InventorySources read = lkr::read_inventory_sources(sources, playbook_dir);
  nlohmann::json out = {{"hosts", nlohmann::json::object()}, {"clusters", nlohmann::json::array()}};
  for (const auto& c : inv.clusters) out["clusters"].push_back(c.name);
  for (const auto& name : read.tree.host_order) {
    nlohmann::json host = {{"groups", nlohmann::json::array()}, {"vars", nlohmann::json::object()}};
    for (const auto& [group, members] : inv.groups)
      if (std::find(members.begin(), members.end(), name) != members.end())
        host["groups"].push_back(group);
    for (const auto& [k, v] : lkr::resolve_host_vars(read.tree, name))
      if (is_connection_variable(k)) host["vars"][k] = v.text();
    out["hosts"][name] = host;
  }
  out["warnings"] = inv.warnings;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> cli;
  std::string playbook_dir;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "-i") == 0 && i + 1 < argc) {
      cli.push_back(argv[++i]);
    } else if (std::strcmp(argv[i], "--playbook-dir") == 0 && i + 1 < argc) {
      playbook_dir = argv[++i];
    } else {
      std::fprintf(stderr, "usage: inventory_dump [-i SOURCE]... [--playbook-dir DIR]\n");
      return 2;
    }
  }
  try {
    std::printf(
        "%s\n",
        dump(lkr::inventory_sources(cli), lkr::playbook_dir_source(playbook_dir)).dump(1).c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "inventory_dump: %s\n", e.what());
    return 1;
  }
  return 0;
}
