// Runs a mode (check / run / verify / ping) over the selected clusters: clusters in
// parallel, one confirmation for all of them, then the recap's data.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "controller/cluster_recovery.h"
#include "controller/console.h"
#include "controller/event_sink.h"
#include "controller/fork_limiter.h"
#include "controller/run_summary.h"

namespace lkr {

// Asks the operator; returns true when the typed answer equals `expected`.
using ConfirmFn = std::function<bool(const std::string& question, const std::string& expected)>;

class Orchestrator {
 public:
  Orchestrator(const CliOptions& options, std::vector<Cluster> clusters, EventSink& sink,
               Console& console, TransportFactory make_transport, ConfirmFn confirm);
  RunSummary run();
  // `facts`: one JSON object per host (controller/facts_report.h), filled by run().
  const nlohmann::json& facts() const { return facts_; }

 private:
  std::vector<std::unique_ptr<ClusterRecovery>> make_recoveries();
  RunSummary recover();
  RunSummary verify();
  RunSummary ping();
  RunSummary gather_facts_of_hosts();
  bool confirmed(const std::vector<ClusterRecovery*>& ready);

  const CliOptions& options_;
  std::vector<Cluster> clusters_;
  EventSink& sink_;
  Console& console_;
  ForkLimiter forks_;
  TransportFactory make_transport_;
  ConfirmFn confirm_;
  nlohmann::json facts_ = nlohmann::json::array();
};

// The terminal's answer (reads /dev/tty); false when there is no terminal.
bool confirm_on_terminal(const std::string& question, const std::string& expected);

}  // namespace lkr
