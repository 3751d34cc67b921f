#include "controller/interrupt.h"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <string>
#include <thread>

namespace lkr {
namespace {

std::atomic<bool> g_interrupted{false};
std::mutex g_notice_mutex;
std::function<void(const std::string&)> g_notice;  // under g_notice_mutex

void announce() {
  static const char msg[] =
      "lkrecover: interrupted: letting commands in flight finish, starting nothing new "
      "(again to stop at once)";
  std::lock_guard lock(g_notice_mutex);
  if (g_notice) return g_notice(msg);
  std::string line = std::string("\n") + msg + "\n";
  (void)!write(STDERR_FILENO, line.data(), line.size());
}

// SIGINT/SIGTERM are blocked in every thread and taken by this one with sigwait, so no
// worker's blocking read is cut short by EINTR: in-flight commands finish normally. A
// second signal means "stop now": exit at once with the interrupted code.
void wait_for_signals(sigset_t set) {
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (g_interrupted.exchange(true)) _exit(99);
    announce();
  }
}

}  // namespace

void install_interrupt_handlers() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // inherited by every thread started later
  std::thread(wait_for_signals, set).detach();
  std::signal(SIGPIPE, SIG_IGN);  // a closed socket is an error to handle, not a death
}

void set_interrupt_notice(std::function<void(const std::string&)> show) {
  std::lock_guard lock(g_notice_mutex);
  g_notice = std::move(show);
}

bool interrupted() { return g_interrupted.load(); }
void request_interrupt() { g_interrupted.store(true); }

}  // namespace lkr
