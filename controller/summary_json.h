// The --json summary printed on stdout: what a script needs to act on the run.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "controller/run_summary.h"

namespace lkr {

nlohmann::ordered_json summary_json(const RunSummary& s, const std::string& run_dir, int exit_code);

}  // namespace lkr
