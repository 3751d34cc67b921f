// What the report shows, read from one audit folder (LOG_DIR/<run-id>/: run.json,
// events.jsonl, snapshots): the run, each cluster's outcome, approval, commands, phase
// windows and re-extension checklist, and whether the hash chain holds. The HTML and the
// Markdown renderers read this model only, never the files.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "controller/audit_key.h"

namespace lkr::report {

// The folder is not an audit folder (or cannot be read): names the file and the fault.
struct ReportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One `command` event of events.jsonl.
struct CommandRecord {
  long long seq = 0;
  std::string host, step, command, status, message, stdout_text, stderr_text;
  std::optional<int> exit_code;
  std::string start, end;              // as the trail wrote them
  long long start_ms = 0, end_ms = 0;  // since the epoch
  long long duration_ms = 0;
  bool truncated = false;
};

// A phase of a cluster on the timeline: from the trail's `phase` events when it has
// them, else from the first start to the last end of the commands of that step.
struct PhaseWindow {
  std::string name, status;
  long long start_ms = 0, end_ms = 0;
  bool cluster_serial = false;  // the runbook runs it on one node at a time
  bool from_phase_events = false;
};

// A snapshot the trail recorded (a `note` of step "snapshot" with its SHA-256), read back.
struct SnapshotRecord {
  long long seq = 0;   // of the trail's note
  std::string name;    // "plan.txt"
  std::string path;    // relative to the run folder
  std::string sha256;  // as the trail recorded it
  std::string content;
  bool found = false;    // the file is there
  bool matches = false;  // and its SHA-256 is the recorded one
};

struct NoteRecord {
  long long seq = 0;
  std::string time, host, step, message;
};

struct HostCounts {
  std::string status;
  int ok = 0, changed = 0, failed = 0, skipped = 0, unreachable = 0;
};

struct ClusterReport {
  std::string name, replaced, status;
  std::string failed_step, failed_host, reason, next;  // empty when none
  std::map<std::string, HostCounts> hosts;
  std::vector<std::string> host_order;  // as the commands first name them, then the rest
  std::vector<CommandRecord> commands;
  std::vector<PhaseWindow> windows;
  std::vector<NoteRecord> notes;  // snapshots aside
  std::optional<SnapshotRecord> plan, checklist_txt, checklist_json;
};

struct RunReport {
  std::filesystem::path dir;
  std::string run_id, mode, status, operator_name, controller_host, started, finished;
  std::string inventory_path, inventory_sha256;
  std::vector<std::string> argv;
  std::optional<int> exit_code;
  bool interrupted = false;
  long long event_count = 0;  // run.json's record of events.jsonl
  std::string last_sha256;
  std::optional<NoteRecord> approval;  // the `confirm` note: who, how, which plan hash
  std::vector<NoteRecord> run_notes;   // notes of no cluster (lock take-overs...)
  std::vector<ClusterReport> clusters;
  std::vector<std::string> chain_problems;  // empty: the chain (and HMACs) verify
  std::string key_id;                       // the audit key the trail was checked with
  std::optional<std::string> unfinished;    // the run did not finish: what that means
  int unreadable_lines = 0;                 // events.jsonl lines that are not JSON objects
};

// Reads `run_dir`. Throws ReportError when it is not an audit folder: no run.json or
// events.jsonl, or a run.json that is not the run record (the message names the file and
// what is wrong). A damaged events.jsonl is not refused: the report says so. `key`: the
// audit key the run was signed with, to check its HMACs too (audit_verifier.h).
RunReport load_run_report(const std::filesystem::path& run_dir,
                          const std::optional<AuditKey>& key = std::nullopt);

}  // namespace lkr::report
