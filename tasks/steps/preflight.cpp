#include "tasks/steps/preflight.h"

#include "tasks/parsers/text_lines.h"
#include "tasks/replaced_refs.h"

namespace lkr::tasks::preflight {
namespace {

std::string count_of(std::size_t n, const char* what) { return std::to_string(n) + " " + what; }

}  // namespace

Verdict check(const NodeFacts& f, const Host& host, const std::string& replaced) {
  Verdict v;
  if (!f.lifekeeper_answers) {
    v.refusals.push_back("LifeKeeper does not answer on " + host.name + ": " +
                         f.lifekeeper_problem);
    return v;
  }
  if (!same_system(f.local_system, host.system))
    v.refusals.push_back("inventory says " + host.system + ", node says " + f.local_system);
  if (same_system(f.local_system, replaced) || same_system(host.system, replaced))
    v.refusals.push_back(replaced +
                         " is this node's own system: the replaced node is never "
                         "cleaned, only the survivors are");
  if (!v.refusals.empty()) return v;
  std::set<std::string> addresses = replaced_addresses(f, replaced);
  v.already_clean =
      remaining_references(f, replaced, addresses, volumes_mirrored_with(f, replaced, addresses))
          .empty();
  return v;
}

std::vector<std::string> check_replaced_is_fresh(const NodeFacts& f, const std::string& replaced) {
  if (!f.lifekeeper_answers)
    return {replaced + ": LifeKeeper does not answer: " + f.lifekeeper_problem};
  std::vector<std::string> held;
  if (!same_system(f.local_system, replaced))
    held.push_back("inventory says " + replaced + ", node says " + f.local_system);
  std::size_t others = 0;
  for (const auto& s : f.systems) others += same_system(s, replaced) ? 0 : 1;
  if (others > 0) held.push_back(count_of(others, "other systems in sys_list"));
  if (!f.resources.empty()) held.push_back(count_of(f.resources.size(), "resources"));
  if (!f.equivalencies.empty()) held.push_back(count_of(f.equivalencies.size(), "equivalencies"));
  if (!f.comm_paths.empty()) held.push_back(count_of(f.comm_paths.size(), "comm paths"));
  std::size_t jobs = 0;
  for (const auto& v : f.volumes) jobs += v.jobs.size();
  if (jobs > 0) held.push_back(count_of(jobs, "DataKeeper jobs"));
  if (held.empty()) return {};
  std::string text;
  for (const auto& h : held) text += (text.empty() ? "" : " / ") + h;
  return {replaced + " still holds " + text + ": this is not a reinstalled node"};
}

}  // namespace lkr::tasks::preflight
