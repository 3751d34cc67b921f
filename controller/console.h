// What the operator sees. Thread-safe (clusters and hosts report from their own threads).
// With --json the human text goes to stderr so stdout carries only the JSON summary.
// Everything given to it is shown through terminal_safe() (terminal_text.h): nodes' control
// characters appear escaped, never acted on by the terminal.
//
// Two ways of showing a run (chosen at construction):
// - live, when progress is wanted and the human stream is a terminal: one status line per
//   running cluster at the bottom of the screen, redrawn in place by a ticker (phase, hosts
//   done, elapsed, the command in flight on the slowest host), lines for good above it; a
//   finished cluster collapses to one line. SIGINT freezes it (the lines stay, for good).
// - plain otherwise (a pipe, a file, --no-progress): every line as it happens, each
//   starting with the local time (HH:MM:SS), phases and finished clusters included.
// Either way the checklists and the recap come at the end, after every cluster's lines.
#pragma once

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "controller/progress_display.h"
#include "controller/progress_model.h"
#include "controller/run_summary.h"

namespace lkr {

class Console {
 public:
  // verbosity: -v adds each command's duration (and read-only commands' lines), -vv their
  // output, -vvv connection details. `progress`: live status lines wanted (not
  // --no-progress); they are shown only when the human stream is a terminal.
  Console(bool json_mode, int verbosity, bool progress = false);
  ~Console();
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  // "[sql-prod] BENHOGAN2008 | equivalencies | changed | eqv_remove ... "
  void step(const std::string& cluster, const std::string& host, const std::string& step,
            StepStatus status, const std::string& detail);
  void cluster_line(const std::string& cluster, const std::string& text);
  void line(const std::string& text);                // plain progress text
  void warn(const std::string& text);                // "WARNING: ..."
  void error(const std::string& text);               // "ERROR: ..."
  void verbose(int level, const std::string& text);  // shown with -v (1), -vv (2), -vvv (3)
  // The checklists of the recovered clusters, then the recap (the live region ends first).
  void recap(const RunSummary& summary);
  FILE* human() const { return out_; }
  bool colour() const { return colour_; }
  int verbosity() const { return verbosity_; }

  // Progress of a run (phases and commands), for the live lines and the plain log.
  void cluster_started(const std::string& cluster);
  void phase(const std::string& cluster, const std::string& phase, int hosts);
  void host_done(const std::string& cluster, const std::string& host);
  void command_started(const std::string& cluster, const std::string& host,
                       const std::string& command);
  // A command's end. Its line is shown when `always` (a change, a failure) or with -v;
  // with -v it carries the command's duration.
  void command_ended(const std::string& cluster, const std::string& host, const std::string& step,
                     StepStatus status, const std::string& detail, std::chrono::milliseconds took,
                     bool always);
  void cluster_done(const ClusterOutcome& outcome);
  // No live region while the operator answers a question on the terminal.
  void pause_progress();
  void resume_progress();
  // The live region is erased for good and the ticker stopped (idempotent).
  void stop_progress();

 private:
  std::string paint(const std::string& text, const char* code) const;
  std::string step_text(const std::string& cluster, const std::string& host,
                        const std::string& step, StepStatus status, const std::string& detail);
  void emit(const std::string& text);
  void emit_locked(const std::string& text);
  bool tick();
  void freeze_locked(const std::string& notice);
  std::vector<std::string> live_lines() const;

  FILE* out_;
  bool colour_ = false;
  int verbosity_ = 0;
  bool timestamps_ = true;  // plain mode: every line starts with the local time
  bool live_ = false;       // the region is being drawn
  bool paused_ = false;
  std::mutex mu_;  // guards everything below and every write to out_
  ProgressModel model_;
  ProgressRegion region_;
  std::unique_ptr<Ticker> ticker_;  // last: stopped before anything it uses goes
};

}  // namespace lkr
