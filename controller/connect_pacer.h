// --parallel-connects: at most N connections being opened at once (TCP, then the SSH or
// TLS handshake and the login), across all hosts, apart from --forks. A handshake costs
// both ends CPU in a burst: 300 at once on a small controller (or a lab sharing its cores)
// stretch every one of them past --connect-timeout, and a node that merely waited its
// turn would be reported unreachable. A connect waits here before its timeout starts.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace lkr {

// Handshakes per CPU core when --parallel-connects is not given. A handshake mostly waits
// (round trips, the server's work), so several per core cost nothing, while a burst of
// hundreds makes each one slow. Measured on the lab (2 cores shared with the 300 nodes'
// sshd, all pinned to one loaded core): 300 at once took some handshakes past a 15 s
// --connect-timeout; 32 at once finished over 90 % of them within 1 s, 16 all of them;
// with a 20 ms round trip, 32 at once connected 300 hosts as soon as no pacing did, 8
// took about twice as long.
constexpr int kConnectsPerCore = 16;
constexpr int kMinParallelConnects = 16;

inline int default_parallel_connects() {
  int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(kMinParallelConnects, kConnectsPerCore * std::max(cores, 1));
}

class ConnectPacer {
 public:
  explicit ConnectPacer(int slots) : slots_(std::max(slots, 1)) {}
  void acquire() {
    std::unique_lock lock(mu_);
    ++waiting_;
    cv_.wait(lock, [&] { return in_flight_ < slots_; });
    --waiting_;
    ++in_flight_;
  }
  void release() {
    {
      std::lock_guard lock(mu_);
      --in_flight_;
    }
    cv_.notify_one();
  }
  int slots() const { return slots_; }
  // Connects waiting for a slot now: what a test (or a progress line) can observe.
  int waiting() const {
    std::lock_guard lock(mu_);
    return waiting_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  const int slots_;
  int in_flight_ = 0;
  int waiting_ = 0;
};

// Holds one connect slot for its lifetime.
class ConnectSlot {
 public:
  explicit ConnectSlot(ConnectPacer& p) : p_(p) { p_.acquire(); }
  ~ConnectSlot() { p_.release(); }
  ConnectSlot(const ConnectSlot&) = delete;
  ConnectSlot& operator=(const ConnectSlot&) = delete;

 private:
  ConnectPacer& p_;
};

}  // namespace lkr
