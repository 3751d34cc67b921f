// What preflight learns about a node before reading its facts: the console code page its
// output is decoded with, and where LifeKeeper and DataKeeper are installed.
#pragma once

#include <string>

#include "controller/node_session.h"

namespace lkr {

// Reads the code page (unless the inventory says), %LKROOT%, %LKBIN% and %ExtMirrBase%
// (the inventory overrides where it sets them; a difference is warned about) and finds
// emcmd.exe. Throws StepFailure (`step`) naming what is missing and what to do.
void settle_node(NodeSession& n, const std::string& step);
// %SystemRoot% and the code page only: enough to run any program and decode its output.
void settle_console(NodeSession& n, const std::string& step);

}  // namespace lkr
