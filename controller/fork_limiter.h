// --forks: at most N hosts with a command in flight at once, across all clusters. The
// run's connect pacer (--parallel-connects) travels with it, as every session gets both.
#pragma once

#include <condition_variable>
#include <mutex>

#include "controller/connect_pacer.h"

namespace lkr {

class ForkLimiter {
 public:
  explicit ForkLimiter(int slots, int parallel_connects = default_parallel_connects())
      : free_(slots), connects_(parallel_connects) {}
  void acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return free_ > 0; });
    --free_;
  }
  void release() {
    {
      std::lock_guard lock(mu_);
      ++free_;
    }
    cv_.notify_one();
  }
  ConnectPacer& connects() { return connects_; }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int free_;
  ConnectPacer connects_;
};

// Holds one slot for its lifetime.
class ForkSlot {
 public:
  explicit ForkSlot(ForkLimiter& l) : l_(l) { l_.acquire(); }
  ~ForkSlot() { l_.release(); }
  ForkSlot(const ForkSlot&) = delete;
  ForkSlot& operator=(const ForkSlot&) = delete;

 private:
  ForkLimiter& l_;
};

}  // namespace lkr
