// RUNBOOK §5: for each volume whose DataKeeper job has a tuple with R, or whose mirror
// reaches R:
//   reg delete <job key> /f           (never `emcmd . deletejob`: it hangs on the lost node;
//                                      a job of 3+ nodes holds every pair (E7) and goes
//                                      whole: its tuples are listed for re-creation)
//   emcmd . getjobinfoforvol V        (read-only: the job is no longer listed)
//   emcmd . deletelocalmirroronly V   (Status = 0; only where a mirror with R is present)
//   emcmd . clearswitchover V         (Status = 0; with the mirror's deletion)
// A volume that mirrors to R and to another node is refused unless
// `allow_multitarget_jobs`: deletelocalmirroronly has no target argument in the record.
#pragma once

#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "tasks/action.h"
#include "tasks/node_facts.h"
#include "tasks/plan_refused.h"

namespace lkr::tasks::datakeeper {

inline constexpr const char* kStep = "datakeeper";

// Throws PlanRefused for multi-target jobs/mirrors unless allowed.
std::vector<Action> plan(const NodeFacts& f, const Host& host, const std::string& replaced,
                         bool allow_multitarget_jobs = false);
std::vector<std::string> verify(const NodeFacts& now, const std::string& replaced);

// A ResultCheck: the output holds "Status = 0".
std::optional<std::string> status_is_zero(const CommandResult& r, const std::string& what);

}  // namespace lkr::tasks::datakeeper
