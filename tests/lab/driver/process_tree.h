// The processes the lab started, found through /proc, and stopping them.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace lab {

// Alive and not a zombie.
bool process_alive(int pid);

// /proc/PID/cmdline with NULs turned into spaces ("" when gone).
std::string process_cmdline(int pid);

// Every process whose parent chain leads to one of `roots` (the roots excluded).
std::vector<int> descendants_of(const std::vector<int>& roots);

// SIGTERM to every live pid, then SIGKILL to those still alive after `grace`, and
// waits (bounded) until they are gone. Returns how many were alive at the start.
int stop_processes(const std::vector<int>& pids, std::chrono::milliseconds grace);

}  // namespace lab
