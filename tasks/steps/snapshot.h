// Snapshot (before any change): gather_facts() saves the listings (eqv_list, sys_list,
// net_list, ins_list, getjobinfoforvol per volume); plan() adds, for each DataKeeper job
// naming R, `reg export <job key> <backup> /y` and `type <backup>`, so that the job's
// registry text lands in the audit folder before `reg delete` removes it.
#pragma once

#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "tasks/action.h"
#include "tasks/node_facts.h"

namespace lkr::tasks::snapshot {

inline constexpr const char* kStep = "snapshot";

// The listings the snapshot saves (gather_facts reads these, plus getmirrorvolinfo
// and the LKDRInfo probes).
std::vector<Command> listings(const NodeFacts& f, const Host& host);

std::vector<Action> plan(const NodeFacts& f, const Host& host, const std::string& replaced);

}  // namespace lkr::tasks::snapshot
