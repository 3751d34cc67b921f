// The cluster-wide sys_remove..lcdsync window (LAB.md "Behaviour that must hold").
//
// A node enters its window at its first successful sys_remove or net_remove and leaves it
// at a successful lcdsync or a restart. The real configuration sync is not safe when two
// nodes of one cluster are inside their windows at once; the lab records that as a
// Violation{kind:"cluster_window_overlap"} on both nodes (recorded, not prevented).
//
// State: <cluster_dir>/window.json, guarded by flock on <cluster_dir>/cluster.lock.
// Lock order: cluster.lock, then one node lock at a time. Callers must NOT hold their
// own NodeLock when calling these.
#pragma once

#include <string>

#include "tests/lab/node/node_state.h"

namespace lab {

void enter_cluster_window(const std::string& node_dir, const NodeState& self,
                          const std::string& command_line);
void leave_cluster_window(const NodeState& self);

// The systems currently inside their window (for tests and dumps).
std::vector<std::string> systems_in_window(const std::string& cluster_dir);

}  // namespace lab
