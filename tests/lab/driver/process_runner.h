// Runs a program (no shell: argv reaches it as given) and collects its output.
#pragma once

#include <string>
#include <vector>

namespace lab {

struct ProcessResult {
  int rc = -1;  // exit status; 128+N when killed by signal N
  std::string out, err;
  bool timed_out = false;  // killed (SIGKILL) after timeout_ms
};

// timeout_ms < 0: wait as long as it takes. `input` is written to the program's stdin.
ProcessResult run_process(const std::vector<std::string>& argv, int timeout_ms = -1,
                          const std::string& input = "");

// Starts `argv` ($PATH searched) detached from us (own session, stdin/stdout on
// /dev/null, stderr to `stderr_path`) and returns its pid. Throws on fork/exec failure.
int spawn_detached(const std::vector<std::string>& argv, const std::string& stderr_path);

}  // namespace lab
