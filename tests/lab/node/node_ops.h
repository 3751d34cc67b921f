// Operations the lab driver performs on a node's folder (dump, restart, faults).
// Each takes the node lock; safe against commands running on the node at the same time.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tests/lab/node/node_state.h"

namespace lab {

// LAB.md's dump format: system, on_disk, in_memory, registry_jobs, mirrors, files
// (every file under the node's C:, as Windows paths), journal, violations; and, added,
// dk_volumes, faults, latency_ms and formats (the cluster's RecordFormats).
nlohmann::json dump_node(const std::string& node_dir);

// A simulated reboot: the in-memory database is reloaded from disk; the node leaves
// any sys_remove..lcdsync window it was in.
void restart_node(const std::string& node_dir);

void arm_fault(const std::string& node_dir, const Fault& f);
void clear_faults(const std::string& node_dir);
void set_latency(const std::string& node_dir, int ms);

// Creates a node folder from an initial state: node.json, an empty journal, and the
// folders of drive C: (C:\Windows\Temp, %LKROOT%\Bin, ..., %ExtMirrBase%).
void create_node(const std::string& node_dir, const NodeState& initial);

}  // namespace lab
