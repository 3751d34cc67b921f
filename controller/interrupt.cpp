#include "controller/interrupt.h"

#include <atomic>
#include <csignal>

namespace lkr {
namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "signal handler needs lock-free flag");

extern "C" void on_signal(int) { g_interrupted.store(true); }

}  // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked read returns so the run can wind down
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a closed socket is an error to handle, not a death
}

bool interrupted() { return g_interrupted.load(); }
void request_interrupt() { g_interrupted.store(true); }

}  // namespace lkr
