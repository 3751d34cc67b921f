// RUNBOOK "Additional" (optional, off by default): remove every resource instance,
// `ins_remove -t TAG` for each line of ins_list.
#pragma once

#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "tasks/action.h"
#include "tasks/node_facts.h"

namespace lkr::tasks::purge_resources {

inline constexpr const char* kStep = "purge_resources";

std::vector<Action> plan(const NodeFacts& f, const Host& host);
std::vector<std::string> verify(const NodeFacts& now);

}  // namespace lkr::tasks::purge_resources
