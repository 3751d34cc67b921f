// One node of one cluster for the whole run: its connection, and the only place where
// a Command is run (the connection renders it for its shell) and recorded (audit event
// + console line) — reads and changes alike.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controller/connect_retry.h"
#include "controller/console.h"
#include "controller/event_sink.h"
#include "controller/fork_limiter.h"
#include "controller/run_summary.h"
#include "inventory/inventory.h"
#include "tasks/action.h"
#include "transports/transport.h"

namespace lkr {

struct SessionSettings {
  std::chrono::milliseconds command_timeout{300000};
  ConnectRetry connect_retry = {};
};

// Raised when a step cannot go on on this node (failed command, odd output,
// lost connection). `unreachable` marks the connection-level cases.
struct StepFailure : std::runtime_error {
  std::string step;
  bool unreachable = false;
  StepFailure(std::string s, const std::string& why, bool unreach = false)
      : std::runtime_error(why), step(std::move(s)), unreachable(unreach) {}
};

class NodeSession {
 public:
  NodeSession(std::string cluster, Host host, std::unique_ptr<Transport> transport, EventSink& sink,
              Console& console, ForkLimiter& forks, SessionSettings settings);

  const Host& host() const { return host_; }
  const std::string& name() const { return host_.name; }
  HostTally& tally() { return tally_; }

  // Connects (once), paced by the run's ConnectPacer; a transient failure (nothing was
  // sent yet) is retried as settings.connect_retry says, each retry a note and a -v line.
  // Throws StepFailure{unreachable} naming host and reason.
  void connect();
  void set_codepage(int cp);
  // Where LifeKeeper and DataKeeper are on this node (read from it in preflight).
  void set_system_root(const std::string& system_root) { host_.system_root = system_root; }
  void set_install_paths(const std::string& lk_root, const std::string& lk_bin,
                         const std::string& extmirrbase);
  // Keep the raw bytes of every output too (`lkrecover facts --raw`).
  void keep_raw_output() {
    transport_->keep_raw_output(true);
    raw_ = true;
  }
  // A warning for this node: a console WARNING line and a note in the audit trail.
  void warn(const std::string& step, const std::string& text);

  // A read-only command: run now (also in `check`), recorded as ok, or failed on
  // non-zero exit. Throws StepFailure when the node cannot be reached.
  CommandResult read(const std::string& step, const Command& c);
  // The ReadFn the task modules use.
  ReadFn reader();
  // Read-only commands in as few lines as fit (transports/command_batch.h), each still
  // recorded as its own event with its own output and exit code, in order. One command,
  // or raw output kept (`facts --raw`), goes alone. Throws StepFailure as read() does, and
  // when a line's output does not carry its markers whole (nothing of it is used then).
  std::vector<CommandResult> read_batch(const std::string& step, const std::vector<Command>& cs);
  ReadManyFn batch_reader();
  // Read-only actions (their checks as apply()'s) in as few lines as fit; the first whose
  // check fails throws StepFailure after every event is recorded.
  void apply_batch(const std::vector<Action>& actions);

  // A change: run (not in `check`), checked with action.check (or exit 0), recorded as
  // changed (or ok when `is_change` is false: a flush with nothing pending from this run).
  // Throws StepFailure when it failed; the event says why.
  // A read-only action's output is also saved as the snapshot `a.save_as` when named.
  void apply(const Action& a, bool is_change = true);

 private:
  // Records the `i`th command of a line, with its display text and result.
  using LineRecorder =
      std::function<void(std::size_t i, const std::string& shown, const CommandResult& r)>;
  // One line of read-only commands that fit together; results in order, each handed to
  // `record_one` after the line ran. A line that broke is recorded here and throws.
  std::vector<CommandResult> read_line_of(const std::string& step, const std::vector<Command>& cs,
                                          const LineRecorder& record_one);
  // `cs` one per line, each handed to `record_one` (a line whose output was capped).
  std::vector<CommandResult> read_alone(const std::string& step, const std::vector<Command>& cs,
                                        const LineRecorder& record_one);
  void check_all_renderable(const std::string& step, const std::vector<Command>& cs);
  // Why `action` did not succeed with `r`, or nothing; `saved` gets what is kept.
  std::optional<std::string> judge(const Action& a, const std::string& shown,
                                   const CommandResult& r, std::string& saved,
                                   std::string& message);
  // `write_ahead`: a change, announced in the trail (on disk) before it is sent.
  CommandResult execute(const std::string& step, const Command& c, std::string& shown,
                        bool write_ahead = false);
  void record(const std::string& step, const std::string& shown, const CommandResult* r,
              StepStatus status, const std::string& message);

  std::string cluster_;
  Host host_;
  std::unique_ptr<Transport> transport_;
  EventSink& sink_;
  Console& console_;
  ForkLimiter& forks_;
  SessionSettings settings_;
  HostTally tally_;
  bool connected_ = false;
  bool lost_ = false;  // the connection broke: nothing more is sent this run

  // The invocation of a command sent as the `index`th of a line of `size` commands, whose
  // line cost `round_trips`: index 0 starts a new line ("<host>#<n>", n counting lines
  // from 1) and adds it to the tally; the other indexes share that line's id.
  Invocation next_invocation(long long round_trips, int index, int size);
  long long lines_sent_ = 0;
  // The line of the command record() records next (it takes it, leaving none): set
  // after the line was sent, so a command never sent gets no invocation.
  Invocation line_ = {};
  bool raw_ = false;  // raw output kept (`facts --raw`): one command per line

  // connect()'s parts: one paced attempt; the end of the attempts (throws); the pause
  // between two attempts.
  void connect_once();
  [[noreturn]] void give_up(const TransportError& e, int attempts);
  void wait_before_retry(std::chrono::milliseconds delay);
};

}  // namespace lkr
