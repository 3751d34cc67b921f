#include "tasks/steps/cluster_serial.h"

#include "tasks/node_commands.h"
#include "tasks/parsers/text_lines.h"
#include "tasks/replaced_refs.h"

namespace lkr::tasks::cluster_serial {
namespace {

constexpr const char* kFlushDescription =
    "commit the configuration to disk (lcdsync: flush; no-op when nothing is pending)";

// The comm path seen from the survivor's end: (local system, local address) first.
CommPath from_survivor_end(const CommPath& p, const std::string& replaced) {
  if (!same_system(p.system, replaced)) return p;
  return CommPath{p.other_system, p.system, p.remote_address, p.local_address, p.state,
                  p.priority,     p.type};
}

std::vector<CommPath> paths_to_remove(const NodeFacts& f, const std::string& replaced) {
  std::vector<CommPath> paths;
  for (const CommPath& p : f.comm_paths) {
    if (!names_replaced(p, replaced)) continue;
    CommPath s = from_survivor_end(p, replaced);
    if (same_system(s.system, replaced)) continue;
    bool seen = false;
    for (const auto& q : paths)
      seen = seen || (same_system(q.system, s.system) && q.local_address == s.local_address &&
                      q.remote_address == s.remote_address);
    if (!seen) paths.push_back(s);
  }
  return paths;
}

}  // namespace

std::vector<Action> plan(const NodeFacts& f, const Host& host, const std::string& replaced) {
  std::vector<Action> actions;
  for (const std::string& s : f.systems)
    if (same_system(s, replaced))
      actions.push_back(Action{kStep,
                               StepKind::cluster_serial,
                               commands::sys_remove(host, s),
                               "remove system " + s + " from the cluster database",
                               {}});
  for (const CommPath& p : paths_to_remove(f, replaced))
    actions.push_back(Action{
        kStep,
        StepKind::cluster_serial,
        commands::net_remove(host, p.system, p.other_system, p.local_address, p.remote_address),
        "remove comm path " + p.system + " " + p.local_address + " -> " + p.other_system + " " +
            p.remote_address,
        {}});
  actions.push_back(
      Action{kStep, StepKind::cluster_serial, commands::lcdsync(host), kFlushDescription, {}});
  return actions;
}

std::vector<std::string> verify(const NodeFacts& now, const std::string& replaced) {
  std::vector<std::string> problems;
  if (lists_replaced(now, replaced)) problems.push_back("sys_list still lists " + replaced);
  for (const CommPath& p : now.comm_paths)
    if (names_replaced(p, replaced))
      problems.push_back("net_list still lists " + p.system + " " + p.local_address + " -> " +
                         p.other_system + " " + p.remote_address);
  return problems;
}

bool is_flush(const Action& a) {
  const std::string& p = a.command.program;
  const std::string suffix = "\\lcdsync.exe";
  return p.size() >= suffix.size() &&
         p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace lkr::tasks::cluster_serial
