// --forks: at most N hosts with a command in flight at once, across all clusters.
#pragma once

#include <condition_variable>
#include <mutex>

namespace lkr {

class ForkLimiter {
 public:
  explicit ForkLimiter(int slots) : free_(slots) {}
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

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int free_;
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
