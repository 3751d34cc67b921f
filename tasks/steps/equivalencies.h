// RUNBOOK §2-3: remove every equivalency with R (`eqv_remove ... -o ... -e TYPE`), then
// check with eqv_list that none is listed any more.
#pragma once

#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "tasks/action.h"
#include "tasks/node_facts.h"

namespace lkr::tasks::equivalencies {

inline constexpr const char* kStep = "equivalencies";

std::vector<Action> plan(const NodeFacts& f, const Host& host, const std::string& replaced);
std::vector<std::string> verify(const NodeFacts& now, const std::string& replaced);

}  // namespace lkr::tasks::equivalencies
