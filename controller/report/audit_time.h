// The audit trail's timestamps (2026-11-25T03:45:00.123Z, iso8601_utc_ms) read back as
// milliseconds since the epoch, so the report can place commands on one time axis.
#pragma once

#include <optional>
#include <string_view>

namespace lkr::report {

// nullopt for anything that is not exactly that form (a hand-edited trail).
std::optional<long long> parse_audit_time_ms(std::string_view text);

}  // namespace lkr::report
