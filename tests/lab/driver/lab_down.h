// `lab down`: stops every process a lab started.
#pragma once

#include <string>

namespace lab {

// Each node's listening sshd and all its descendants (connection sshds, running
// lab-cmd), SIGTERM then SIGKILL after a grace period. Returns how many processes were
// stopped; 0 when nothing was running (idempotent).
int lab_down(const std::string& state_dir);

}  // namespace lab
