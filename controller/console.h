// What the operator sees: one line per step per host as it happens, then a recap.
// Thread-safe (clusters and hosts report from their own threads). With --json the
// human text goes to stderr so stdout carries only the JSON summary.
// Everything given to it is shown through terminal_safe() (terminal_text.h): nodes' control
// characters appear escaped, never acted on by the terminal.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "controller/run_summary.h"

namespace lkr {

class Console {
 public:
  Console(bool json_mode, int verbosity);

  // "[sql-prod] BENHOGAN2008 | equivalencies | changed | eqv_remove ... "
  void step(const std::string& cluster, const std::string& host, const std::string& step,
            StepStatus status, const std::string& detail);
  void cluster_line(const std::string& cluster, const std::string& text);
  void line(const std::string& text);                // plain progress text
  void warn(const std::string& text);                // "WARNING: ..."
  void error(const std::string& text);               // "ERROR: ..."
  void verbose(int level, const std::string& text);  // shown with -v (1) or -vv (2)
  void recap(const RunSummary& summary);
  FILE* human() const { return out_; }
  bool colour() const { return colour_; }

 private:
  std::string paint(const std::string& text, const char* code) const;
  void emit(const std::string& text);

  FILE* out_;
  bool colour_;
  int verbosity_;
  std::mutex mu_;
};

}  // namespace lkr
