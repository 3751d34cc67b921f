#include "controller/console.h"

#include <unistd.h>

#include <cstdlib>
#include <ctime>

#include "controller/interrupt.h"
#include "controller/progress_lines.h"
#include "controller/recap_text.h"
#include "controller/terminal_text.h"

namespace lkr {
namespace {

// At most five redraws a second: enough for elapsed times to move, cheap over ssh.
constexpr std::chrono::milliseconds kTick{200};

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

// "03:45:07 " in local time: what the operator's own clock says.
std::string local_time_prefix() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[16];
  std::strftime(text, sizeof text, "%H:%M:%S ", &local);
  return text;
}

std::string seconds_text(std::chrono::milliseconds took) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", static_cast<double>(took.count()) / 1000.0);
  return text;
}

}  // namespace

Console::Console(bool json_mode, int verbosity, bool progress)
    : out_(json_mode ? stderr : stdout), verbosity_(verbosity) {
  const bool terminal = isatty(fileno(out_));
  // Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
  colour_ = terminal && std::getenv("NO_COLOR") == nullptr;
  live_ = progress && terminal;
  timestamps_ = !live_;
  if (!live_) return;
  // The interrupt notice goes above the region, which then stays as it was, for good.
  set_interrupt_notice([this](const std::string& notice) {
    std::lock_guard lock(mu_);
    freeze_locked(notice);
  });
  ticker_ = std::make_unique<Ticker>(kTick, [this] { return tick(); });
}

Console::~Console() { stop_progress(); }

std::string Console::paint(const std::string& text, const char* code) const {
  if (!colour_) return text;
  return std::string("\033[") + code + "m" + text + "\033[0m";
}

std::vector<std::string> Console::live_lines() const {
  const auto now = ProgressClock::now();
  const std::size_t width = terminal_size(fileno(out_)).columns;
  std::vector<std::string> lines;
  // One column spare: a line exactly as wide as the terminal leaves the cursor pending.
  for (const ClusterProgress* c : model_.running())
    lines.push_back(status_line(*c, now, width > 1 ? width - 1 : width));
  return lines;
}

void Console::emit_locked(const std::string& text) {
  std::string out;
  if (live_ && !paused_) {
    std::size_t rows = terminal_size(fileno(out_)).rows;
    out = region_.print_above(text + "\n", live_lines(), rows > 2 ? rows - 2 : 1);
  } else if (timestamps_) {
    // A block that starts with blank lines gets its time on its first line of text.
    std::size_t at = text.find_first_not_of('\n');
    out = at == std::string::npos
              ? text + "\n"
              : text.substr(0, at) + local_time_prefix() + text.substr(at) + "\n";
  } else {
    out = text + "\n";
  }
  std::fputs(out.c_str(), out_);
  std::fflush(out_);
}

void Console::emit(const std::string& text) {
  std::lock_guard lock(mu_);
  emit_locked(text);
}

bool Console::tick() {
  std::lock_guard lock(mu_);
  if (!live_) return false;
  if (paused_) return true;
  std::size_t rows = terminal_size(fileno(out_)).rows;
  std::fputs(region_.redraw(live_lines(), rows > 2 ? rows - 2 : 1).c_str(), out_);
  std::fflush(out_);
  return true;
}

// The last state of the region printed for good (it shows where each cluster was), the
// notice under it; from now on lines are printed as they come.
void Console::freeze_locked(const std::string& notice) {
  if (!live_) return;
  std::string out = region_.clear();
  for (const std::string& l : live_lines()) out += l + "\n";
  out += notice + "\n";
  live_ = false;
  std::fputs(out.c_str(), out_);
  std::fflush(out_);
}

void Console::stop_progress() {
  if (ticker_) {
    set_interrupt_notice(nullptr);
    ticker_->stop();
  }
  std::lock_guard lock(mu_);
  if (!live_) return;
  std::fputs(region_.clear().c_str(), out_);
  std::fflush(out_);
  live_ = false;
}

void Console::pause_progress() {
  std::lock_guard lock(mu_);
  paused_ = true;
  std::fputs(region_.clear().c_str(), out_);
  std::fflush(out_);
}

void Console::resume_progress() {
  std::lock_guard lock(mu_);
  paused_ = false;
}

std::string Console::step_text(const std::string& cluster, const std::string& host,
                               const std::string& step, StepStatus status,
                               const std::string& detail) {
  // Every part may come from a node (names from its lists, detail from its output): escaped
  // to one line each, so none can redraw the screen or fake a line of its own.
  std::string text = "[" + terminal_safe(cluster) + "] " + terminal_safe(host) + " | " +
                     terminal_safe(step) + " | " + paint(to_string(status), colour_of(status));
  if (!detail.empty()) text += " | " + terminal_safe(detail);
  return text;
}

void Console::step(const std::string& cluster, const std::string& host, const std::string& step,
                   StepStatus status, const std::string& detail) {
  emit(step_text(cluster, host, step, status, detail));
}

void Console::command_ended(const std::string& cluster, const std::string& host,
                            const std::string& step, StepStatus status, const std::string& detail,
                            std::chrono::milliseconds took, bool always) {
  std::lock_guard lock(mu_);
  model_.command_ended(cluster, host);
  if (!always && verbosity_ < 1) return;
  std::string text = step_text(cluster, host, step, status, detail);
  if (verbosity_ >= 1) text += "  [" + seconds_text(took) + "]";
  emit_locked(text);
}

void Console::command_started(const std::string& cluster, const std::string& host,
                              const std::string& command) {
  std::lock_guard lock(mu_);
  model_.command_started(cluster, host, command, ProgressClock::now());
}

void Console::cluster_started(const std::string& cluster) {
  std::lock_guard lock(mu_);
  model_.cluster_started(cluster, ProgressClock::now());
}

void Console::phase(const std::string& cluster, const std::string& phase, int hosts) {
  std::lock_guard lock(mu_);
  model_.phase(cluster, phase, hosts, ProgressClock::now());
  if (!live_) emit_locked(phase_line(cluster, phase, hosts));
}

void Console::host_done(const std::string& cluster, const std::string& host) {
  std::lock_guard lock(mu_);
  model_.host_done(cluster, host);
}

void Console::cluster_done(const ClusterOutcome& outcome) {
  std::lock_guard lock(mu_);
  auto took = model_.cluster_finished(outcome.name, ProgressClock::now());
  emit_locked(collapsed_line(outcome, took));
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
  stop_progress();
  std::string checklists = checklists_text(summary);
  if (!checklists.empty()) emit("\n" + checklists);
  emit("\n" +
       recap_text(summary, [this](const std::string& t, const char* c) { return paint(t, c); }));
}

}  // namespace lkr
