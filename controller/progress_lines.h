// How a cluster's progress reads: the live status line of a running cluster, the one line
// a finished cluster collapses to, and the plain line of a phase's start. Pure text.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "controller/progress_model.h"
#include "controller/run_summary.h"

namespace lkr {

// "0:07", "12:34", "1:02:03": minutes and seconds, hours when there are any.
std::string clock_text(std::chrono::milliseconds elapsed);

// "[erp] phase equivalencies  hosts 1/2  elapsed 0:07  in flight on BRAVO (1.2s): eqv_remove ..."
// The command shown is the one running longest (the slowest host's). Cut to `width`
// display columns, so that it never wraps. Every name and the command are terminal_safe.
std::string status_line(const ClusterProgress& c, ProgressClock::time_point now, std::size_t width);

// "[erp] finished: changed, 6 change(s) on 2 host(s), 0:09" (`check`: "N change(s)
// pending"); a cluster that stopped names the step and host.
std::string collapsed_line(const ClusterOutcome& outcome, std::chrono::milliseconds took);

// "[erp] phase equivalencies: 2 host(s)"
std::string phase_line(const std::string& cluster, const std::string& phase, int hosts);

}  // namespace lkr
