#include "inventory/inventory.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "inventory/cluster_rules.h"
#include "inventory/edit_distance.h"
#include "inventory/file_digest.h"
#include "inventory/group_tree.h"
#include "inventory/host_vars.h"
#include "inventory/inventory_sources.h"
#include "inventory/login_name.h"
#include "inventory/system_name.h"
#include "inventory/unresolved_values.h"

namespace lkr {

namespace {

std::string where(const GroupDecl& g) { return location(g.file, g.line); }

// lk_cluster is a group variable; a group inheriting it from a cluster is part of that
// cluster (say, one site of it), not a cluster of its own.
bool is_cluster_group(const GroupTree& tree, const std::string& name,
                      const std::set<std::string>& clusters_so_far) {
  if (name == "all") return false;
  VarMap vars = resolve_group_vars(tree, name);
  auto it = vars.find("lk_cluster");
  if (it == vars.end()) return false;
  refuse_unresolved_value(tree, "lk_cluster", it->second, "group \"" + name + "\"");
  bool flag = false;
  if (!YAML::convert<bool>::decode(it->second.value, flag))
    throw InventoryError(it->second.where() + ": lk_cluster \"" + it->second.text() +
                         "\" is not true or false; fix lk_cluster");
  if (!flag) return false;
  for (const auto* g : group_with_ancestors(tree, name))
    if (g->name != name && clusters_so_far.count(g->name)) return false;
  return true;
}

// Groups in order of depth, so that a cluster is known before its subgroups are looked at.
std::set<std::string> cluster_groups(const GroupTree& tree) {
  std::vector<const GroupDecl*> by_depth;
  for (const auto& name : tree.group_order) by_depth.push_back(&tree.groups.at(name));
  std::stable_sort(by_depth.begin(), by_depth.end(),
                   [](const GroupDecl* a, const GroupDecl* b) { return a->depth < b->depth; });
  std::set<std::string> clusters;
  for (const auto* g : by_depth)
    if (is_cluster_group(tree, g->name, clusters)) clusters.insert(g->name);
  return clusters;
}

// Every variable lkrecover reads for the host, as Ansible would resolve it, must be plain:
// a template or vault value elsewhere (say, for localhost) is no concern of ours.
void refuse_unresolved_variables(const GroupTree& tree, const std::string& host) {
  const auto& known = known_variable_names();
  for (const auto& [name, def] : resolve_host_vars(tree, host))
    if (std::find(known.begin(), known.end(), name) != known.end())
      refuse_unresolved_value(tree, name, def, "host \"" + host + "\"");
}

Cluster make_cluster(const GroupTree& tree, const std::string& name, const std::string& user) {
  Cluster c;
  c.name = name;
  c.source = where(tree.groups.at(name));
  c.replaced_source = c.source;
  VarMap vars = resolve_group_vars(tree, name);
  if (auto it = vars.find("lk_replaced"); it != vars.end()) {
    c.replaced = it->second.text();
    c.replaced_source = it->second.where();
  }
  for (const auto& host : hosts_of_group(tree, name)) {
    refuse_unresolved_variables(tree, host);
    c.hosts.push_back(make_host(tree, host, user));
  }
  return c;
}

void collect_warnings(const GroupTree& tree, Inventory& inv) {
  std::set<std::string> groups, hosts;
  for (const auto& c : inv.clusters)
    for (const auto& h : c.hosts) {
      hosts.insert(h.name);
      for (const auto* g : groups_of_host(tree, h.name)) groups.insert(g->name);
    }
  inv.warnings = tree.warnings;
  for (auto& w : unknown_variable_warnings(tree, groups, hosts)) inv.warnings.push_back(w);
}

std::vector<std::string> cluster_names(const Inventory& inv) {
  std::vector<std::string> names;
  for (const auto& c : inv.clusters) names.push_back(c.name);
  return names;
}

}  // namespace

Inventory load_inventory(const std::string& path) {
  return load_inventory(std::vector<std::string>{path});
}

Inventory load_inventory(const std::vector<std::string>& sources, const std::string& playbook_dir) {
  Inventory inv;
  for (const auto& s : sources) inv.path += (inv.path.empty() ? "" : ",") + s;
  const std::string& path = inv.path;
  InventorySources read = read_inventory_sources(sources, playbook_dir);
  inv.sha256 = sha256_hex(read.bytes);
  const GroupTree& tree = read.tree;
  for (const auto& name : tree.group_order) inv.groups[name] = hosts_of_group(tree, name);

  std::string user = login_name();
  std::set<std::string> clusters = cluster_groups(tree);
  for (const auto& name : tree.group_order)
    if (clusters.count(name)) inv.clusters.push_back(make_cluster(tree, name, user));
  if (inv.clusters.empty())
    throw InventoryError(
        path +
        ": no cluster: no group has lk_cluster: true; add "
        "`vars: {lk_cluster: true, lk_replaced: NODE}` to each cluster's group" +
        (tree.groups.count("ungrouped") && !tree.groups.at("ungrouped").hosts.empty()
             ? " (hosts given as `-i HOST,HOST,` or outside any group are in "
               "`ungrouped`, which is no cluster)"
             : ""));
  for (const auto& c : inv.clusters) {
    check_distinct_systems(c);
    for (const auto& h : c.hosts) inv.system_cluster.emplace(system_name_key(h.system), c.name);
  }
  for (auto& c : inv.clusters) check_replaced(c, inv);
  collect_warnings(tree, inv);
  return inv;
}

Inventory select_clusters(const Inventory& inventory, const std::vector<std::string>& names) {
  if (names.empty()) return inventory;
  std::vector<std::string> known = cluster_names(inventory);
  for (const auto& name : names) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    std::string why = inventory.groups.count(name)
                          ? "\"" + name + "\" is a group without lk_cluster: true"
                          : "unknown cluster \"" + name + "\" (did you mean \"" +
                                nearest_name(name, known) + "\"?)";
    throw InventoryError(inventory.path + ": " + why + "; clusters in this inventory: " + list +
                         "; fix --cluster");
  }
  Inventory selected = inventory;
  selected.clusters.clear();
  for (const auto& c : inventory.clusters)
    if (std::find(names.begin(), names.end(), c.name) != names.end())
      selected.clusters.push_back(c);
  return selected;
}

void apply_replaced_override(Inventory& inventory, const std::string& system) {
  if (inventory.clusters.size() != 1)
    throw InventoryError("--replaced " + system + ": names the reinstalled node of one cluster, " +
                         "but " + std::to_string(inventory.clusters.size()) +
                         " clusters are selected; pass --cluster NAME too");
  Cluster& c = inventory.clusters.front();
  c.replaced = system;
  c.replaced_source = "--replaced";
  check_replaced(c, inventory);
}

}  // namespace lkr
