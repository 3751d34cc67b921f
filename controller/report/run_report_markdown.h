// The run report as Markdown, for a ticket or a wiki: the HTML page's content without the
// chart (the phase windows as a table instead). Everything from a node or the trail is
// escaped (markdown_text.h).
#pragma once

#include <string>

#include "controller/report/run_report_model.h"

namespace lkr::report {

std::string render_markdown(const RunReport& report);

}  // namespace lkr::report
