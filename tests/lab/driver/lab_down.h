// `lab down`: stops every process a lab started.
#pragma once

#include <set>
#include <string>

namespace lab {

// Each node's listening sshd and all its descendants (connection sshds, running
// lab-cmd), SIGTERM then SIGKILL after a grace period. Returns how many processes were
// stopped; 0 when nothing was running (idempotent).
int lab_down(const std::string& state_dir);

// Stops the lab daemons (sshd, lab-winrm, krb5kdc) whose state folder no longer exists
// (their lab was removed without `lab down`, e.g. a test killed from outside) and that
// hold a socket on one of `addresses`, the ones the lab being started needs. A lab being
// started or stopped still has its folder, so it is never touched; orphans on other
// addresses are left to the lab that needs those (tests run labs on separate subnets at
// once, and each must see its own orphans stopped by its own `lab up`).
int stop_orphaned_labs(const std::set<std::string>& addresses);

}  // namespace lab
