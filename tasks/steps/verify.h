// Final verify: nothing of R remains (no equivalency, system, comm path, job, mirror or
// LKDRInfo file), and everything that did not refer to R is exactly as in the snapshot.
// Run-time state (resource ISP/OSU, comm path ALIVE/DEAD, mirror state) is left out of
// the comparison: it is not configuration and may change while we work.
#pragma once

#include <string>
#include <vector>

#include "tasks/node_facts.h"

namespace lkr::tasks::verify {

// What still refers to R, judged from `now` alone (for `lkrecover verify` without a snapshot).
std::vector<std::string> nothing_remains(const NodeFacts& now, const std::string& replaced);

// Both halves; `resources_purged` when the optional purge ran (resources then go too);
// `multitarget_allowed` with --allow-multitarget-jobs: the local end of a mirror shared
// with R is deleted whole, so its lines to other nodes going away is expected too.
std::vector<std::string> verify(const NodeFacts& before, const NodeFacts& now,
                                const std::string& replaced, bool resources_purged = false,
                                bool multitarget_allowed = false);

}  // namespace lkr::tasks::verify
