// The state each node starts in, built from the scenario as LAB.md describes: survivors
// know the whole cluster (systems, comm paths, resources, equivalencies, DataKeeper jobs
// and mirrors); the reinstalled node is a fresh install that knows only itself.
#pragma once

#include <string>

#include "tests/lab/driver/scenario.h"
#include "tests/lab/node/node_state.h"

namespace lab {

NodeState initial_node_state(const ClusterSpec& cluster, const NodeSpec& node,
                             const std::string& cluster_dir);

// Writes %LKROOT%\subsys\filesys\resources\volume\LKDRInfo.<vol> under the node's C:
// for every mirrored volume the node holds (39 bytes, dated 2012-05-23 13:02 local
// time, as the runbook's `dir` line shows).
void write_lkdrinfo_files(const std::string& node_dir, const NodeState& state);

// node_dir + "/C/..." for a path on C: ("C:\LK\Bin" -> node_dir/C/LK/Bin).
std::string drive_c_path(const std::string& node_dir, const std::string& windows_path);

}  // namespace lab
