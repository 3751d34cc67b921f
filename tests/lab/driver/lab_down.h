// `lab down`: stops every process a lab started.
#pragma once

#include <string>

namespace lab {

// Each node's listening sshd and all its descendants (connection sshds, running
// lab-cmd), SIGTERM then SIGKILL after a grace period. Returns how many processes were
// stopped; 0 when nothing was running (idempotent).
int lab_down(const std::string& state_dir);

// Stops every lab sshd whose state folder no longer exists (its lab was removed without
// `lab down`, e.g. a test killed from outside): it would hold its address for nothing.
// A lab being started or stopped still has its folder, so it is never touched.
int stop_orphaned_labs();

}  // namespace lab
