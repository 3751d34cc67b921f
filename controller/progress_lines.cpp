#include "controller/progress_lines.h"

#include <cstdio>

#include "controller/display_width.h"
#include "controller/terminal_text.h"

namespace lkr {
namespace {

std::string tenths(std::chrono::milliseconds ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1fs", static_cast<double>(ms.count()) / 1000.0);
  return text;
}

std::string count(int n, const char* noun) { return std::to_string(n) + " " + noun + "(s)"; }

}  // namespace

std::string clock_text(std::chrono::milliseconds elapsed) {
  long long s = elapsed.count() / 1000;
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", s / 60, s % 60);
  }
  return text;
}

std::string status_line(const ClusterProgress& c, ProgressClock::time_point now,
                        std::size_t width) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  std::string text = "[" + terminal_safe(c.name) + "] phase " +
                     (c.phase.empty() ? std::string("starting") : terminal_safe(c.phase));
  text += "  hosts " + std::to_string(c.hosts_done_count()) + "/" + std::to_string(c.hosts_total);
  text += "  elapsed " + clock_text(duration_cast<milliseconds>(now - c.started));
  if (const InFlightCommand* slow = c.slowest())
    text += "  in flight on " + terminal_safe(slow->host) + " (" +
            tenths(duration_cast<milliseconds>(now - slow->since)) +
            "): " + terminal_safe(slow->command);
  return fit_width(text, width);
}

std::string collapsed_line(const ClusterOutcome& o, std::chrono::milliseconds took) {
  std::string text = "[" + terminal_safe(o.name) + "] finished: " + to_string(o.status);
  if (!o.failed_step.empty()) {
    text += " at " + terminal_safe(o.failed_step);
    if (!o.failed_host.empty()) text += " on " + terminal_safe(o.failed_host);
  }
  int changes = 0, hosts = 0;
  if (o.status == ClusterStatus::changes_pending) {
    for (const auto& [host, n] : o.pending) {
      changes += n;
      hosts += n > 0 ? 1 : 0;
    }
    text += ", " + count(changes, "change") + " pending on " + count(hosts, "host");
  } else {
    for (const auto& [host, t] : o.hosts) {
      changes += t.changed;
      hosts += t.changed > 0 ? 1 : 0;
    }
    text += ", " + count(changes, "change") + " on " + count(hosts, "host");
  }
  return text + ", " + clock_text(took);
}

std::string phase_line(const std::string& cluster, const std::string& phase, int hosts) {
  return "[" + terminal_safe(cluster) + "] phase " + terminal_safe(phase) + ": " +
         count(hosts, "host");
}

}  // namespace lkr
