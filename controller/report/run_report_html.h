// The run report as one self-contained HTML page: inline CSS, inline SVG, no script and
// nothing fetched (it is read on a jump host with no internet, or attached to a ticket).
// Everything that came from a node or the trail is escaped (html_text.h).
#pragma once

#include <string>

#include "controller/report/run_report_model.h"

namespace lkr::report {

// Per cluster: outcome, approval, timeline, commands (collapsed); then the audit trail's
// verification; the re-extension checklists last, where the operator's next work is.
std::string render_html(const RunReport& report);

}  // namespace lkr::report
