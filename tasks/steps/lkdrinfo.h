// RUNBOOK §4: delete %LKROOT%\subsys\filesys\resources\volume\LKDRInfo.<V> of each volume
// mirrored with R that still has it (the facts' `if exist` probe); verify: probe says no.
#pragma once

#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "tasks/action.h"
#include "tasks/node_facts.h"

namespace lkr::tasks::lkdrinfo {

inline constexpr const char* kStep = "lkdrinfo";

std::vector<Action> plan(const NodeFacts& f, const Host& host, const std::string& replaced);
std::vector<std::string> verify(const NodeFacts& now, const std::string& replaced);

}  // namespace lkr::tasks::lkdrinfo
