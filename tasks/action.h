// What the runbook's task modules hand the controller: actions computed from facts.
// A task module never talks to a node itself: it reads through a ReadFn (so a dry
// run and a real run share one code path, and unit tests can feed sample outputs),
// and returns Actions that the controller executes, audits and checks.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "transports/command.h"
#include "transports/transport.h"

namespace lkr {

enum class StepKind {
  read_only,       // any parallelism; also run by `check`
  node_change,     // parallel across survivors, ordered within a node
  cluster_serial,  // sys_remove / net_remove / lcdsync: one survivor at a time per cluster
};

// Returns an error message when `result` does not show the action succeeded.
using ResultCheck = std::function<std::optional<std::string>(const CommandResult&)>;

struct Action {
  std::string step;  // runbook step name, e.g. "equivalencies", "datakeeper"
  StepKind kind = StepKind::read_only;
  Command command;          // rendered only by the quoting layer
  std::string description;  // one line for humans: "remove equivalency Vol.E -> GPLAYER2008"
  ResultCheck check;        // empty = exit code 0 is success
  // A flush (lcdsync): a change only when something else changed on the node in this run.
  bool flush = false;
  // Read-only: the output is kept in the audit folder's snapshots under this name.
  std::string save_as = {};
  // Read-only, with save_as: the output is certutil -encode's text of a file on the node
  // (tasks/parsers/certutil_output.h). The controller, which holds the codecs, decodes it,
  // saves the decoded bytes rather than the text, and fails the action unless their
  // SHA-256 is the digest this returns: the one certutil -hashfile printed on the node,
  // read by an earlier action of the same plan (nullopt: never read, which fails too).
  // Empty: the output is saved as printed.
  std::function<std::optional<std::string>()> node_sha256 = {};
};

// Runs a read-only command on the node (the controller audits it). Throws
// TransportError when the node cannot be reached.
using ReadFn = std::function<CommandResult(const std::string& step, const Command&)>;
// Runs several read-only commands at once (one line where they fit: one round trip) and
// returns their results in order, each audited as its own command.
using ReadManyFn =
    std::function<std::vector<CommandResult>(const std::string& step, const std::vector<Command>&)>;

// Output a node printed that a parser could not understand: the step fails with this
// text (which names what was expected and quotes the offending line).
struct OddOutput : std::runtime_error {
  explicit OddOutput(const std::string& what, std::string raw_line = "")
      : std::runtime_error(what), line(std::move(raw_line)) {}
  std::string line;  // the raw line it could not place (empty: the output as a whole)
};

}  // namespace lkr
