// Whether the plans saved in the audit folder are the ones the operator approved: the
// `confirm` note records the SHA-256 of every cluster's plan text, shown and approved
// together; the saved plan.txt files, joined in the order they were saved, must hash to it.
#pragma once

#include <optional>
#include <string>

#include "controller/report/run_report_model.h"

namespace lkr::report {

// The hash the approval names ("plan sha256 <hex>"); nullopt when it names none.
std::optional<std::string> approved_plan_sha256(const NoteRecord& approval);

// true: the saved plans hash to the approved hash; false: they do not (or one is missing
// or damaged); nullopt: nothing was approved.
std::optional<bool> saved_plans_match_approval(const RunReport& report);

}  // namespace lkr::report
