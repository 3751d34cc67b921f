// The runbook as one table: every change step of RUNBOOK.md, in the order they run, with
// its kind (which decides the scheduling), how it plans from a node's facts and how its
// result is verified. The controller iterates this table and names no step itself;
// adding or reordering a step touches this table and the step's own file only.
#pragma once

#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "tasks/action.h"
#include "tasks/node_facts.h"

namespace lkr::tasks::runbook {

// What a step plans from: one survivor's snapshot facts, and the run's choices.
struct PlanContext {
  const NodeFacts& facts;
  const Host& host;
  const std::string& replaced;
  bool allow_multitarget_jobs = false;
};

struct Step {
  const char* name;  // the phase name of the audit trail and the console
  StepKind kind;     // node_change: survivors in parallel; cluster_serial: one at a time
  bool optional;     // planned only when asked for (--purge-resources)
  std::vector<Action> (*plan)(const PlanContext&);
  // Its post-condition, from freshly read facts: what is still not done.
  std::vector<std::string> (*verify)(const NodeFacts& now, const std::string& replaced);
};

const std::vector<Step>& steps();

// The read-only phases around the steps.
inline constexpr const char* kPreflight = "preflight";
inline constexpr const char* kSnapshot = "snapshot";
inline constexpr const char* kVerify = "verify";

// Every phase of a run in order: preflight, snapshot, the steps (the optional ones when
// `with_optional`), verify.
std::vector<std::string> phases(bool with_optional);

}  // namespace lkr::tasks::runbook
