// A cluster's timeline as inline SVG: one lane per host, one bar per command (coloured by
// its status, its details in a tooltip), the phases on a strip above, and the
// cluster-serial windows (the runbook's one-node-at-a-time steps) as a band across every
// lane. Inline and self-contained: no script, no font, nothing fetched.
#pragma once

#include <string>

#include "controller/report/run_report_model.h"

namespace lkr::report {

// The fill of a command's bar for each status (also the legend's swatches).
const char* status_colour(const std::string& status);

// The <svg> element; "" for a cluster with no command.
std::string gantt_svg(const ClusterReport& cluster);

}  // namespace lkr::report
