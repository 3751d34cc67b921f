// The rules a cluster must satisfy before anything connects to it.
#pragma once

#include <string>

#include "inventory/inventory.h"

namespace lkr {

// Two hosts of a cluster may not share a LifeKeeper system name (case-insensitive, as on
// Windows). The message starts with the second host's file:line.
void check_distinct_systems(const Cluster& cluster);

// lk_replaced must be given, must name a member (or a node not listed at all, which sets
// replaced_in_inventory = false), must not be another cluster's node nor a slip of a
// member's name; and the cluster must have two nodes counting R. Messages start with
// cluster.replaced_source.
void check_replaced(Cluster& cluster, const Inventory& inventory);

}  // namespace lkr
