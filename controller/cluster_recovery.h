// One cluster's recovery, in two halves so that one confirmation covers every cluster:
//   prepare(): connect, preflight, snapshot, plan,     (read-only; all `check` does;
//              job backups (`reg export`)              the backups only in `run`)
//   apply():   the steps of tasks::runbook::steps(),   (node_change: survivors in parallel;
//              in order                                 cluster_serial: one at a time)
//              verify, re-extension checklist
// A failure on any survivor stops the cluster before its next phase; the outcome says
// where, why and what to run next.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "controller/cli_options.h"
#include "controller/node_session.h"
#include "controller/run_summary.h"
#include "inventory/inventory.h"
#include "tasks/node_facts.h"
#include "tasks/runbook.h"
#include "tasks/steps/reextension_checklist.h"

namespace lkr {

// Makes the transport for one host (SSH or WinRM; a fake in unit tests).
using TransportFactory = std::function<std::unique_ptr<Transport>(const Host&)>;

// One survivor's plan: the actions of each step of tasks::runbook::steps(), by index.
struct NodePlan {
  NodeSession* node = nullptr;
  std::vector<std::vector<Action>> by_step;
};

class ClusterRecovery {
 public:
  ClusterRecovery(const Cluster& cluster, const CliOptions& options, EventSink& sink,
                  Console& console, ForkLimiter& forks, TransportFactory make_transport);

  // Returns false when the cluster cannot go on (outcome() says why).
  bool prepare();
  void apply();
  // `verify`: connect, read facts, check the post-conditions.
  void verify_only();

  // With every host's tally of this run.
  ClusterOutcome outcome() const;
  // `check` ends after prepare(): the cluster is fine as far as it went.
  // `check` ends after prepare(): changes pending, or nothing to do.
  void mark_checked();
  // Changes the plan would make, and on how many hosts.
  int pending_changes() const;
  int hosts_with_changes() const;
  void mark_not_confirmed();
  // The plan as text: every command, per node, in order, with its kind.
  std::string plan_text() const;
  bool has_changes() const;

 private:
  bool connect_all();
  bool preflight();
  struct ReplacedVerdict {
    bool checked = false;               // its facts were read
    std::vector<std::string> problems;  // why it does not look freshly reinstalled
    std::string unchecked;              // why it could not be checked
  };
  ReplacedVerdict inspect_replaced();
  bool judge_replaced(const ReplacedVerdict& v, bool no_survivor_knows_it);
  bool snapshot();
  static void check_record(const Command& c, const std::string& step);
  // A survivor's facts as preflight read them, and each output under its record.
  struct FirstRead {
    tasks::NodeFacts facts;
    std::vector<std::pair<std::string, std::string>> records;
  };
  FirstRead snapshot_facts(NodeSession& n, const std::string& step);
  std::vector<std::string> snapshot_volumes(NodeSession& node) const;
  bool make_plans();
  void record_plan();
  bool back_up_jobs();
  void verify_step(std::size_t step, NodeSession& node);
  bool run_node_local(std::size_t step);
  bool run_cluster_serial(std::size_t step);
  bool run_step(std::size_t step);  // one runbook step, bracketed by phase events
  bool verify_final();
  bool open_checklist();
  void write_checklist_files();
  void write_checklist();
  tasks::NodeFacts read_facts(NodeSession& node, const std::string& step);
  bool fail(const std::string& step, const std::string& host, const std::string& why,
            ClusterStatus status = ClusterStatus::failed);
  bool handle_errors(const std::string& step, const std::vector<std::exception_ptr>& errors);
  std::vector<NodeSession*> survivor_sessions() const;

  const Cluster& cluster_;
  const CliOptions& options_;
  EventSink& sink_;
  Console& console_;
  ClusterOutcome outcome_;
  std::vector<std::unique_ptr<NodeSession>> survivors_;
  std::unique_ptr<NodeSession> replaced_;  // when the reinstalled node is in the inventory
  std::map<NodeSession*, tasks::NodeFacts> before_;  // snapshot facts per survivor
  // What preflight read of each survivor (saved as the snapshot); written from the
  // survivors' threads, one key each, inserted before they start.
  std::map<NodeSession*, FirstRead> preflight_facts_;
  std::vector<NodePlan> plans_;
  std::atomic<bool> changed_{false};                   // set from the survivors' threads
  tasks::reextension_checklist::Checklist checklist_;  // from the first snapshot on
};

}  // namespace lkr
