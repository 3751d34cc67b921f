#include "controller/console.h"

#include <unistd.h>

#include <cstdlib>

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
  std::string text = "[" + cluster + "] " + host + " | " + step + " | " +
                     paint(to_string(status), colour_of(status));
  if (!detail.empty()) text += " | " + detail;
  emit(text);
}

void Console::cluster_line(const std::string& cluster, const std::string& text) {
  emit("[" + cluster + "] " + text);
}

void Console::line(const std::string& text) { emit(text); }
void Console::warn(const std::string& text) { emit(paint("WARNING: ", "35") + text); }
void Console::error(const std::string& text) { emit(paint("ERROR: ", "31") + text); }

void Console::verbose(int level, const std::string& text) {
  if (verbosity_ >= level) emit(text);
}

void Console::recap(const RunSummary& summary) {
  std::string text = "\nPLAY RECAP ";
  text += std::string(60, '*');
  for (const auto& c : summary.clusters) {
    text += "\n[" + c.name + "] replaced=" + c.replaced + "  status=" + to_string(c.status);
    for (const auto& [host, t] : c.hosts) {
      text += "\n  " + host + "  ";
      text += paint("ok=" + std::to_string(t.ok), "32") + "  ";
      text += paint("changed=" + std::to_string(t.changed), "33") + "  ";
      text += "unreachable=" + std::to_string(t.unreachable) + "  ";
      text += paint("failed=" + std::to_string(t.failed), t.failed ? "31" : "0") + "  ";
      text += "skipped=" + std::to_string(t.skipped);
    }
    if (!c.reason.empty()) {
      text += "\n  stopped at step '" + c.failed_step + "'";
      if (!c.failed_host.empty()) text += " on " + c.failed_host;
      text += ": " + c.reason;
    }
    if (!c.next.empty()) text += "\n  next: " + c.next;
  }
  emit(text);
}

}  // namespace lkr
