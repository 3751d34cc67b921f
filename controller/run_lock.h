// One run per cluster at a time: LOG_DIR/lkrecover.lock lists every live run with its pid,
// start time and clusters. Runs on disjoint clusters go ahead side by side; a run on a
// cluster another live run holds is refused, naming that run. An entry left by a run that
// died (its pid is gone, or now belongs to a younger process) is taken over.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lkr {

struct LockHolder {
  int pid = 0;
  long long pid_start = 0;  // the process's start time in clock ticks (/proc/PID/stat)
  std::string host;         // the controller's host name: pids of other hosts are not checked
  std::string run_id, operator_name, started;
  std::vector<std::string> clusters;
};

struct RunLockRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class RunLock {
 public:
  // Throws RunLockRefused when a live run holds any of `clusters`; the message names its
  // pid, host, operator, start time and clusters, and what to do. Also when the lock file is
  // a symbolic link or not a plain file of this user with one name: such a file is never
  // written, let alone truncated. Throws UnsafeLogDir (log_dir_guard.h) for an unsafe LOG_DIR.
  RunLock(const std::filesystem::path& log_dir, const std::string& run_id,
          const std::vector<std::string>& clusters);
  ~RunLock();  // removes this run's entry
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  // Entries of dead runs found and removed when the lock was taken (for the audit trail).
  const std::vector<LockHolder>& stale_taken_over() const { return stale_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  LockHolder self_;
  std::vector<LockHolder> stale_;
};

// The start time of a live process, 0 when it does not exist.
long long process_start_ticks(int pid);

// The entry of run `run_id` in LOG_DIR/lkrecover.lock when its process is still alive on
// this host (read without taking the lock: for diagnostics only).
std::optional<LockHolder> live_lock_holder(const std::filesystem::path& log_dir,
                                           const std::string& run_id);

}  // namespace lkr
