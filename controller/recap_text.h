// The text of the end of a run: each finished cluster's re-extension checklist, then the
// recap in Ansible's PLAY RECAP shape. Pure text, so its layout is tested without a terminal.
#pragma once

#include <functional>
#include <string>

#include "controller/run_summary.h"

namespace lkr {

// Colours `text` with the SGR `code` on a terminal; returns it unchanged elsewhere.
using Paint = std::function<std::string(const std::string& text, const char* code)>;

// Per cluster its status, per host the number of STEPS ok / changed / unreachable /
// failed / skipped (a step counts once per host, with its worst status: one eqv_remove or
// ten, it is one changed step). Host names are padded to the widest (display width, wide
// characters as two columns) and each count field to its widest, so every column starts
// at the same place on every row; after `check`, each survivor's row ends with the number
// of changes a run would make there ("pending=N"). Names from nodes go through
// terminal_safe().
std::string recap_text(const RunSummary& summary, const Paint& paint);

// The checklists of the clusters that were recovered (changed or nothing to do), each under
// a "[cluster] Re-extension checklist" line; "" when none has one.
std::string checklists_text(const RunSummary& summary);

}  // namespace lkr
