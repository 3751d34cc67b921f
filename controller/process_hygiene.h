// What the process does with its secrets before it does anything else: it cannot be dumped
// (no core file, no ptrace by the same user, /proc/PID/mem closed to them) and the
// --password-env password leaves the environment block that /proc/PID/environ and `ps e`
// show for the life of the process (unsetenv only drops the pointer; the bytes stay).
#pragma once

#include <string>
#include <vector>

namespace lkr {

class ProcessHygiene {
 public:
  // Call first in main(), with main's arguments. Sets PR_SET_DUMPABLE 0 and RLIMIT_CORE 0.
  // For --password-env VAR (or --password-env=VAR): overwrites "VAR=value" in the original
  // environment block with zeros and keeps the value in a locked buffer of its own, which
  // stays reachable through getenv(VAR) (so the password source reads it as before) until
  // this object goes: then the variable is removed and the buffer wiped.
  ProcessHygiene(int argc, char** argv);
  ~ProcessHygiene();
  ProcessHygiene(const ProcessHygiene&) = delete;
  ProcessHygiene& operator=(const ProcessHygiene&) = delete;

 private:
  std::string variable_;
  std::vector<char> entry_;  // "VAR=value\0", handed to putenv: the environment points here
};

}  // namespace lkr
