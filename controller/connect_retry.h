// When a failed connect is tried again. A connect sends no command, so a connection
// refused, reset or timed out during the TCP, SSH or TLS handshake (or the login's wait)
// can be retried safely; a node busy with a handshake storm, or whose service is
// restarting, must not be reported dead on its first refusal. A rejected login, an
// unknown or changed host key, or a protocol error is no accident: it is never retried.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>

#include "transports/transport.h"

namespace lkr {

struct ConnectRetry {
  int attempts = 3;  // in all, the first one included
  std::chrono::milliseconds first_delay{2000};
  std::chrono::milliseconds max_delay{8000};
};

inline bool transient(const TransportError& e) {
  using Kind = TransportError::Kind;
  return e.kind == Kind::unreachable || e.kind == Kind::timeout || e.kind == Kind::dropped;
}

// The wait before attempt `next` (2 for the first retry): doubled each time, capped.
inline std::chrono::milliseconds retry_delay(const ConnectRetry& r, int next) {
  auto delay = r.first_delay;
  for (int i = 2; i < next && delay < r.max_delay; ++i) delay *= 2;
  return std::min(delay, r.max_delay);
}

// "2 s", "500 ms": the delay as the note and the -v line give it.
inline std::string delay_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

}  // namespace lkr
