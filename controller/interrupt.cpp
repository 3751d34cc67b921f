#include "controller/interrupt.h"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <thread>

namespace lkr {
namespace {

std::atomic<bool> g_interrupted{false};

// SIGINT/SIGTERM are blocked in every thread and taken by this one with sigwait, so no
// worker's blocking read is cut short by EINTR: in-flight commands finish normally. A
// second signal means "stop now": exit at once with the interrupted code.
void wait_for_signals(sigset_t set) {
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (g_interrupted.exchange(true)) _exit(99);
    static const char msg[] =
        "\nlkrecover: interrupted: letting commands in flight finish, starting nothing new "
        "(again to stop at once)\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
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

bool interrupted() { return g_interrupted.load(); }
void request_interrupt() { g_interrupted.store(true); }

}  // namespace lkr
