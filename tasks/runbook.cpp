#include "tasks/runbook.h"

#include "tasks/steps/cluster_serial.h"
#include "tasks/steps/datakeeper.h"
#include "tasks/steps/equivalencies.h"
#include "tasks/steps/lkdrinfo.h"
#include "tasks/steps/purge_resources.h"

namespace lkr::tasks::runbook {

const std::vector<Step>& steps() {
  // RUNBOOK.md's order: equivalencies before the system (§2-3), LKDRInfo (§4), DataKeeper
  // (§5), the optional purge ("Additional"), then sys_remove/net_remove/lcdsync (§6-8).
  static const std::vector<Step> table = {
      {equivalencies::kStep, StepKind::node_change, false,
       [](const PlanContext& c) { return equivalencies::plan(c.facts, c.host, c.replaced); },
       &equivalencies::verify},
      {lkdrinfo::kStep, StepKind::node_change, false,
       [](const PlanContext& c) { return lkdrinfo::plan(c.facts, c.host, c.replaced); },
       &lkdrinfo::verify},
      {datakeeper::kStep, StepKind::node_change, false,
       [](const PlanContext& c) {
         return datakeeper::plan(c.facts, c.host, c.replaced, c.allow_multitarget_jobs);
       },
       &datakeeper::verify},
      {purge_resources::kStep, StepKind::node_change, true,
       [](const PlanContext& c) { return purge_resources::plan(c.facts, c.host); },
       [](const NodeFacts& now, const std::string&) { return purge_resources::verify(now); }},
      {cluster_serial::kStep, StepKind::cluster_serial, false,
       [](const PlanContext& c) { return cluster_serial::plan(c.facts, c.host, c.replaced); },
       &cluster_serial::verify},
  };
  return table;
}

std::vector<std::string> phases(bool with_optional) {
  std::vector<std::string> out{kPreflight, kSnapshot};
  for (const Step& s : steps())
    if (with_optional || !s.optional) out.push_back(s.name);
  out.push_back(kVerify);
  return out;
}

}  // namespace lkr::tasks::runbook
