#include "controller/console.h"

#include <unistd.h>

#include <cstdlib>

#include "controller/terminal_text.h"

namespace lkr {
namespace {

const char* colour_of(StepStatus s) {
  switch (s) {
    case StepStatus::ok:
      return "32";
    case StepStatus::changed:
      return "33";
    case StepStatus::failed:
      return "31";
    case StepStatus::skipped:
      return "36";
    case StepStatus::unreachable:
      return "31;1";
  }
  return "0";
}

}  // namespace

Console::Console(bool json_mode, int verbosity)
    : out_(json_mode ? stderr : stdout), verbosity_(verbosity) {
  // Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
  colour_ = isatty(fileno(out_)) && std::getenv("NO_COLOR") == nullptr;
}

std::string Console::paint(const std::string& text, const char* code) const {
  if (!colour_) return text;
  return std::string("\033[") + code + "m" + text + "\033[0m";
}

void Console::emit(const std::string& text) {
  std::lock_guard lock(mu_);
  std::fputs(text.c_str(), out_);
  std::fputc('\n', out_);
  std::fflush(out_);
}

void Console::step(const std::string& cluster, const std::string& host, const std::string& step,
                   StepStatus status, const std::string& detail) {
  // Every part may come from a node (names from its lists, detail from its output): escaped
  // to one line each, so none can redraw the screen or fake a line of its own.
  std::string text = "[" + terminal_safe(cluster) + "] " + terminal_safe(host) + " | " +
                     terminal_safe(step) + " | " + paint(to_string(status), colour_of(status));
  if (!detail.empty()) text += " | " + terminal_safe(detail);
  emit(text);
}

void Console::cluster_line(const std::string& cluster, const std::string& text) {
  emit("[" + terminal_safe(cluster) + "] " + terminal_safe(text, Lines::many));
}

// Free text (the plan, output shown with -vv) may span lines; its other controls are escaped.
void Console::line(const std::string& text) { emit(terminal_safe(text, Lines::many)); }
void Console::warn(const std::string& text) {
  emit(paint("WARNING: ", "35") + terminal_safe(text, Lines::many));
}
void Console::error(const std::string& text) {
  emit(paint("ERROR: ", "31") + terminal_safe(text, Lines::many));
}

void Console::verbose(int level, const std::string& text) {
  if (verbosity_ >= level) emit(terminal_safe(text, Lines::many));
}

void Console::recap(const RunSummary& summary) {
  std::string text = "\nPLAY RECAP ";
  text += std::string(60, '*');
  for (const auto& c : summary.clusters) {
    text += "\n[" + terminal_safe(c.name) + "] replaced=" + terminal_safe(c.replaced) +
            "  status=" + to_string(c.status);
    for (const auto& [host, t] : c.hosts) {
      text += "\n  " + terminal_safe(host) + "  ";
      text += paint("ok=" + std::to_string(t.ok), "32") + "  ";
      text += paint("changed=" + std::to_string(t.changed), "33") + "  ";
      text += "unreachable=" + std::to_string(t.unreachable) + "  ";
      text += paint("failed=" + std::to_string(t.failed), t.failed ? "31" : "0") + "  ";
      text += "skipped=" + std::to_string(t.skipped);
    }
    if (!c.reason.empty()) {
      text += "\n  stopped at step '" + terminal_safe(c.failed_step) + "'";
      if (!c.failed_host.empty()) text += " on " + terminal_safe(c.failed_host);
      text += ": " + terminal_safe(c.reason);
    }
    if (!c.next.empty()) text += "\n  next: " + terminal_safe(c.next);
  }
  emit(text);
}

}  // namespace lkr
