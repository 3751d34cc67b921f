// What happened, per cluster and host: feeds the console recap, run.json and --json.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace lkr {

enum class StepStatus { ok, changed, failed, skipped, unreachable };
const char* to_string(StepStatus s);

// The more serious of two statuses of one step: failed > unreachable > changed > ok > skipped.
StepStatus worse(StepStatus a, StepStatus b);

struct HostTally {
  int ok = 0, changed = 0, failed = 0, skipped = 0, unreachable = 0;  // per command
  std::map<std::string, StepStatus> steps = {};  // per step: its worst status on the host
  // Lines sent (invocations: one line carries one command, or a batch of reads) and the
  // network round trips they waited for, as the audit trail's command events record them
  // (the sum over distinct invocation ids); the connection's own handshake apart.
  long long invocations = 0, round_trips = 0, connect_round_trips = 0;
  void add(StepStatus s);
  void add(const std::string& step, StepStatus s);  // a command of `step`
  // The counts per step (what the recap shows): each step once, with its worst status.
  HostTally by_step() const;
};

enum class ClusterStatus {
  pending,          // not reached (the run stopped first)
  changes_pending,  // `check`: changes would be made (shown as "pending", exit 0)
  ok,
  changed,
  nothing_to_do,
  failed,
  refused,
  unreachable,
  interrupted
};
const char* to_string(ClusterStatus s);

// One command of a cluster's plan, as `check --json` and the audit folder show it.
struct PlannedCommand {
  std::string host, step, kind, command, description;
};

struct ClusterOutcome {
  std::string name, replaced;
  ClusterStatus status = ClusterStatus::pending;
  std::string failed_step, failed_host, reason, next;  // where, why, what to run next
  std::map<std::string, HostTally> hosts;
  std::vector<std::string> checklist;  // re-extension checklist lines
  std::vector<PlannedCommand> plan;    // every command the plan holds, in order
  std::map<std::string, int> pending;  // per host: the changes the plan would make
};

struct RunSummary {
  std::vector<ClusterOutcome> clusters;
  bool interrupted = false;
  bool not_confirmed = false;  // `run` without a yes: nothing was changed
  int exit_code() const;
};

}  // namespace lkr
