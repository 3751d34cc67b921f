// One node of one cluster for the whole run: its connection, and the only place where
// a Command is run (the connection renders it for its shell) and recorded (audit event
// + console line) — reads and changes alike.
#pragma once

#include <memory>
#include <string>

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

  // Connects (once). Throws StepFailure{unreachable} naming host and reason.
  void connect();
  void set_codepage(int cp);
  // Where LifeKeeper and DataKeeper are on this node (read from it in preflight).
  void set_system_root(const std::string& system_root) { host_.system_root = system_root; }
  void set_install_paths(const std::string& lk_root, const std::string& lk_bin,
                         const std::string& extmirrbase);
  // Keep the raw bytes of every output too (`lkrecover facts --raw`).
  void keep_raw_output() { transport_->keep_raw_output(true); }
  // A warning for this node: a console WARNING line and a note in the audit trail.
  void warn(const std::string& step, const std::string& text);

  // A read-only command: run now (also in `check`), recorded as ok, or failed on
  // non-zero exit. Throws StepFailure when the node cannot be reached.
  CommandResult read(const std::string& step, const Command& c);
  // The ReadFn the task modules use.
  ReadFn reader();

  // A change: run (not in `check`), checked with action.check (or exit 0), recorded as
  // changed (or ok when `is_change` is false: a flush with nothing pending from this run).
  // Throws StepFailure when it failed; the event says why.
  // A read-only action's output is also saved as the snapshot `a.save_as` when named.
  void apply(const Action& a, bool is_change = true);

 private:
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
};

}  // namespace lkr
