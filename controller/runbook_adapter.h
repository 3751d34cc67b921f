// The runbook's task modules as the cluster recovery calls them, phase by phase.
// Keeps the phase names of the audit trail and the modules' namespaces in one place.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tasks/node_commands.h"
#include "tasks/node_facts.h"
#include "tasks/parsers/windows_output.h"
#include "tasks/steps/cluster_serial.h"
#include "tasks/steps/datakeeper.h"
#include "tasks/steps/equivalencies.h"
#include "tasks/steps/lkdrinfo.h"
#include "tasks/steps/preflight.h"
#include "tasks/steps/purge_resources.h"
#include "tasks/steps/reextension_checklist.h"
#include "tasks/steps/snapshot.h"
#include "tasks/steps/verify.h"

namespace lkr {

using tasks::gather_facts;
using tasks::NodeFacts;

// A phase's own post-condition, from freshly read facts.
inline std::vector<std::string> verify_phase(const std::string& phase, const NodeFacts& now,
                                             const Host&, const std::string& R) {
  if (phase == tasks::equivalencies::kStep) return tasks::equivalencies::verify(now, R);
  if (phase == tasks::lkdrinfo::kStep) return tasks::lkdrinfo::verify(now, R);
  if (phase == tasks::datakeeper::kStep) return tasks::datakeeper::verify(now, R);
  if (phase == tasks::purge_resources::kStep) return tasks::purge_resources::verify(now);
  if (phase == tasks::cluster_serial::kStep) return tasks::cluster_serial::verify(now, R);
  return tasks::verify::nothing_remains(now, R);
}

}  // namespace lkr
