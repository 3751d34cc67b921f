#include "tasks/steps/cluster_serial.h"

#include "tasks/node_commands.h"
#include "tasks/parsers/text_lines.h"
#include "tasks/plan_refused.h"
#include "tasks/replaced_refs.h"

namespace lkr::tasks::cluster_serial {
namespace {

constexpr const char* kFlushDescription =
    "commit the configuration to disk (lcdsync: flush; no-op when nothing is pending)";

std::vector<CommPath> paths_to_remove(const NodeFacts& f, const std::string& replaced) {
  std::vector<CommPath> paths;
  for (const CommPath& p : f.comm_paths) {
    if (!same_system(p.other_system, replaced)) continue;
    // net_remove names a path by its device (E3, E4): without one it cannot be named.
    if (p.device.empty())
      throw PlanRefused("net_list shows no device for the comm path to " + replaced + " (\"" +
                        quote_line(p.line) +
                        "\"), and net_remove needs -D <device>: remove it by hand in the "
                        "LifeKeeper GUI, then re-run");
    bool seen = false;
    for (const auto& q : paths)
      seen = seen || (q.device == p.device && q.local_address == p.local_address &&
                      q.remote_address == p.remote_address);
    if (!seen) paths.push_back(p);
  }
  return paths;
}

}  // namespace

std::vector<Action> plan(const NodeFacts& f, const Host& host, const std::string& replaced) {
  const std::string& local = f.lifekeeper_name;
  std::vector<Action> actions;
  for (const std::string& s : f.systems)
    if (same_system(s, replaced))
      actions.push_back(Action{kStep,
                               StepKind::cluster_serial,
                               commands::sys_remove(host, local, s),
                               "remove system " + s + " from the cluster database",
                               {}});
  for (const CommPath& p : paths_to_remove(f, replaced))
    actions.push_back(Action{kStep,
                             StepKind::cluster_serial,
                             commands::net_remove(host, local, p.other_system, p.device,
                                                  p.remote_address, p.local_address),
                             "remove comm path " + p.device + " " + p.local_address + " -> " +
                                 p.other_system + " " + p.remote_address,
                             {}});
  actions.push_back(Action{kStep,
                           StepKind::cluster_serial,
                           commands::lcdsync(host, local),
                           kFlushDescription,
                           {},
                           true});
  return actions;
}

std::vector<std::string> verify(const NodeFacts& now, const std::string& replaced) {
  std::vector<std::string> problems;
  if (lists_replaced(now, replaced)) problems.push_back("sys_list still lists " + replaced);
  for (const CommPath& p : now.comm_paths)
    if (names_replaced(p, replaced))
      problems.push_back("net_list still lists " + p.device + " " + p.local_address + " -> " +
                         p.other_system + " " + p.remote_address);
  return problems;
}

}  // namespace lkr::tasks::cluster_serial
