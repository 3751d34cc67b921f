// `lkrecover report RUN_DIR` and the end of a run: the audit folder read, report.html and
// report.md written (into the run folder, or another folder).
#pragma once

#include <filesystem>
#include <optional>

#include "controller/audit_key.h"

namespace lkr::report {

struct ReportFiles {
  std::filesystem::path html, markdown;
};

// Reads `run_dir` and writes report.html and report.md into `out_dir` (the run folder when
// empty; created when missing). Each file is written whole, mode 0600 like the trail it
// shows, and renamed into place: a reader never sees half a report. Throws ReportError
// naming the folder or file and what is wrong. `key` checks the trail's HMACs as well.
ReportFiles write_run_report(const std::filesystem::path& run_dir,
                             const std::filesystem::path& out_dir = {},
                             const std::optional<AuditKey>& key = std::nullopt);

}  // namespace lkr::report
