#include "inventory/cluster_rules.h"

#include <cctype>
#include <set>

#include "inventory/edit_distance.h"
#include "inventory/system_name.h"

namespace lkr {

namespace {

[[noreturn]] void fail(const std::string& where, const Cluster& c, const std::string& what) {
  throw InventoryError(where + ": cluster \"" + c.name + "\": " + what);
}

std::string member_list(const Cluster& c) {
  std::string list;
  for (const auto& h : c.hosts) list += (list.empty() ? "" : ", ") + h.system;
  return list;
}

}  // namespace

void check_distinct_systems(const Cluster& cluster) {
  for (size_t i = 0; i < cluster.hosts.size(); ++i)
    for (size_t j = 0; j < i; ++j) {
      const Host& first = cluster.hosts[j];
      const Host& second = cluster.hosts[i];
      if (!same_system(first.system, second.system)) continue;
      fail(second.source, cluster,
           "hosts \"" + first.name + "\" (" + first.source + ") and \"" + second.name +
               "\" have the same LifeKeeper system name \"" + second.system +
               "\" (system names are case-insensitive); fix lk_system");
    }
}

void check_replaced(Cluster& cluster, const Inventory& inventory) {
  const std::string& where = cluster.replaced_source;
  const std::string& r = cluster.replaced;
  if (r.empty())
    fail(where, cluster,
         "lk_replaced is missing; set lk_replaced to the LifeKeeper system name of the "
         "reinstalled node in the group's vars, or pass --replaced");
  cluster.replaced_in_inventory = false;
  for (const auto& h : cluster.hosts) {
    if (same_system(h.system, r))
      cluster.replaced_in_inventory = true;
    else if (same_system(h.name, r))
      fail(where, cluster,
           "lk_replaced \"" + r + "\" is the inventory name of host \"" + h.name +
               "\", whose LifeKeeper system name is \"" + h.system +
               "\"; set lk_replaced: " + h.system);
  }
  if (!cluster.replaced_in_inventory) {
    auto other = inventory.system_cluster.find(system_name_key(r));
    if (other != inventory.system_cluster.end() && other->second != cluster.name)
      fail(where, cluster,
           "lk_replaced \"" + r + "\" is a node of cluster \"" + other->second +
               "\", not of this one (members: " + member_list(cluster) +
               "); fix lk_replaced or pass --replaced");
    for (const auto& h : cluster.hosts)
      if (is_keyboard_slip(r, h.system))
        fail(where, cluster,
             "lk_replaced \"" + r + "\" is not a member of the cluster (members: " +
                 member_list(cluster) + "); fix lk_replaced or pass --replaced");
  }
  size_t nodes = cluster.hosts.size() + (cluster.replaced_in_inventory ? 0 : 1);
  if (nodes < 2)
    fail(cluster.source, cluster,
         "a cluster has at least two nodes, this one has " + std::to_string(nodes) +
             " (members: " + member_list(cluster) + "; replaced: " + r +
             "); list the surviving nodes under the group's hosts");
}

}  // namespace lkr
