// The run summary as JSON, one shape for run.json's clusters and for --json: what a
// script or an auditor needs to act on a run.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "controller/run_summary.h"

namespace lkr {

// Per cluster: name, replaced, status, failed_step/failed_host/reason/next (null when the
// cluster did not stop), hosts (per host: status, the counts, pending changes, and the
// invocations, round trips and connect round trips of HostTally), checklist and plan
// (every command: host, step, kind, command, reason).
nlohmann::ordered_json clusters_json(const std::vector<ClusterOutcome>& clusters);

// hosts, ok, changed, failed, skipped, unreachable, invocations, round_trips and
// connect_round_trips summed over every cluster.
nlohmann::ordered_json totals_json(const std::vector<ClusterOutcome>& clusters);

// --json: exit_code, interrupted, run_dir, clusters and totals.
nlohmann::ordered_json summary_json(const RunSummary& s, const std::string& run_dir, int exit_code);

}  // namespace lkr
