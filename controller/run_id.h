// A run's identity and the one time format of the audit trail.
#pragma once

#include <chrono>
#include <string>

namespace lkr {

// UTC, `YYYYMMDDTHHMMSSZ-` and 6 random hex digits: sorts by start time, and two runs
// started in the same second still get different folders.
std::string new_run_id();

// ISO-8601 UTC with milliseconds: 2026-11-25T03:45:00.123Z
std::string iso8601_utc_ms(std::chrono::system_clock::time_point t);

}  // namespace lkr
