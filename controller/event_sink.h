// Where every command's record goes (the audit trail in a run; a vector in tests).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "controller/run_summary.h"

namespace lkr {

struct Invocation {
  std::string id;             // "<host>#<n>": the same for every command of one line
  int index = 0;              // the command's place in that line
  int size = 1;               // how many commands the line carried
  long long round_trips = 0;  // the line's network round trips, as the transport counted them
};

struct CommandEvent {
  std::string cluster, host, step;
  std::string command;  // display rendering: secrets masked
  std::chrono::system_clock::time_point start, end;
  std::optional<int> exit_code;
  std::string stdout_text, stderr_text;  // UTF-8
  StepStatus status = StepStatus::ok;
  std::string message;  // why it failed / was skipped
  bool truncated = false;
  // The line the command travelled in: several read-only commands share one line (one
  // invocation) where they are batched, each still its own event.
  Invocation invocation = {};
};

enum class PhaseEdge { start, end };

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void command(const CommandEvent& e) = 0;
  virtual void note(const std::string& cluster, const std::string& host, const std::string& step,
                    const std::string& text) = 0;
  // Written, and on disk, before a change is sent: after a crash, a change announced
  // without its command event is one that may or may not have happened.
  virtual void intent(const std::string& cluster, const std::string& host, const std::string& step,
                      const std::string& command) = 0;
  // A runbook step's start or end on one cluster; `status` ("ok", "failed") at the end.
  virtual void phase(const std::string& cluster, const std::string& phase, PhaseEdge edge,
                     const std::string& status) = 0;
  virtual void snapshot(const std::string& cluster, const std::string& host,
                        const std::string& name, const std::string& content) = 0;
};

}  // namespace lkr
