#include "tasks/steps/lkdrinfo.h"

#include "tasks/assumed_formats.h"
#include "tasks/node_commands.h"
#include "tasks/replaced_refs.h"

namespace lkr::tasks::lkdrinfo {
namespace {

// The volumes mirrored with R whose LKDRInfo file is present.
std::vector<std::string> files_left(const NodeFacts& f, const std::string& replaced) {
  std::vector<std::string> left;
  for (const std::string& volume :
       volumes_mirrored_with(f, replaced, replaced_addresses(f, replaced))) {
    const VolumeFacts* v = find_volume(f, volume);
    if (v && v->lkdrinfo_present) left.push_back(v->volume);
  }
  return left;
}

}  // namespace

std::vector<Action> plan(const NodeFacts& f, const Host& host, const std::string& replaced) {
  std::vector<Action> actions;
  for (const std::string& volume : files_left(f, replaced))
    actions.push_back(Action{kStep,
                             StepKind::node_change,
                             commands::del_lkdrinfo(host, volume),
                             "delete " + assumed::lkdrinfo_path(host.lk_root, volume) +
                                 " (volume mirrored with " + replaced + ")",
                             {}});
  return actions;
}

std::vector<std::string> verify(const NodeFacts& now, const std::string& replaced) {
  std::vector<std::string> problems;
  for (const std::string& volume : files_left(now, replaced))
    problems.push_back("LKDRInfo." + volume + " still exists");
  return problems;
}

}  // namespace lkr::tasks::lkdrinfo
