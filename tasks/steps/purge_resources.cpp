#include "tasks/steps/purge_resources.h"

#include "tasks/node_commands.h"

namespace lkr::tasks::purge_resources {

std::vector<Action> plan(const NodeFacts& f, const Host& host) {
  std::vector<Action> actions;
  for (const Resource& r : f.resources)
    actions.push_back(Action{kStep,
                             StepKind::node_change,
                             commands::ins_remove(host, f.lifekeeper_name, r.tag),
                             "remove resource " + r.tag + " (" + r.app + "/" + r.type + ")",
                             {}});
  return actions;
}

std::vector<std::string> verify(const NodeFacts& now) {
  std::vector<std::string> problems;
  for (const Resource& r : now.resources)
    problems.push_back("ins_list still lists resource " + r.tag);
  return problems;
}

}  // namespace lkr::tasks::purge_resources
