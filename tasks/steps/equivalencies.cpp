#include "tasks/steps/equivalencies.h"

#include "tasks/node_commands.h"
#include "tasks/parsers/text_lines.h"
#include "tasks/replaced_refs.h"

namespace lkr::tasks::equivalencies {
namespace {

// The equivalency seen from the side that is not R: (system, tag) is kept, (R, tag) goes.
Equivalency from_survivor_side(const Equivalency& e, const std::string& replaced) {
  if (!same_system(e.system, replaced)) return e;
  return Equivalency{e.other_system, e.other_tag,      e.system,  e.tag,
                     e.type,         e.other_priority, e.priority};
}

bool same_removal(const Equivalency& a, const Equivalency& b) {
  return same_system(a.system, b.system) && a.tag == b.tag &&
         same_system(a.other_system, b.other_system) && a.other_tag == b.other_tag &&
         a.type == b.type;
}

}  // namespace

std::vector<Action> plan(const NodeFacts& f, const Host& host, const std::string& replaced) {
  std::vector<Equivalency> removals;
  for (const Equivalency& e : f.equivalencies) {
    if (!names_replaced(e, replaced)) continue;
    Equivalency s = from_survivor_side(e, replaced);
    if (same_system(s.system, replaced)) continue;  // R with itself: nothing of a survivor
    bool seen = false;
    for (const auto& r : removals) seen = seen || same_removal(r, s);
    if (!seen) removals.push_back(s);
  }
  std::vector<Action> actions;
  for (const Equivalency& e : removals)
    actions.push_back(Action{kStep,
                             StepKind::node_change,
                             commands::eqv_remove(host, f.lifekeeper_name, e.system, e.tag,
                                                  e.other_system, e.other_tag, e.type),
                             "remove " + e.type + " equivalency " + e.tag + " (" + e.system +
                                 ") -> " + e.other_tag + " (" + e.other_system + ")",
                             {}});
  return actions;
}

std::vector<std::string> verify(const NodeFacts& now, const std::string& replaced) {
  std::vector<std::string> problems;
  for (const Equivalency& e : now.equivalencies)
    if (names_replaced(e, replaced))
      problems.push_back("eqv_list still lists " + e.system + "/" + e.tag + " <-> " +
                         e.other_system + "/" + e.other_tag);
  return problems;
}

}  // namespace lkr::tasks::equivalencies
