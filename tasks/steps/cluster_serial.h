// RUNBOOK §6-8 on one survivor, one survivor at a time within a cluster:
// `sys_remove -s R` (when still listed), `net_remove` for every comm path to R (one per
// network), then ALWAYS `lcdsync` (Action::flush): after an interrupted earlier run it is
// the only way to be sure the on-disk database matches memory (a no-op when nothing is
// pending).
#pragma once

#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "tasks/action.h"
#include "tasks/node_facts.h"

namespace lkr::tasks::cluster_serial {

inline constexpr const char* kStep = "cluster_serial";

std::vector<Action> plan(const NodeFacts& f, const Host& host, const std::string& replaced);
std::vector<std::string> verify(const NodeFacts& now, const std::string& replaced);

}  // namespace lkr::tasks::cluster_serial
