// The audit trail of one run: LOG_DIR/<run-id>/{events.jsonl, run.json, snapshots/}.
// events.jsonl is append-only, one JSON object per line, each line hash-chained to the one
// before it (tamper evidence) and written with one write() as it happens, so a run killed
// at any moment leaves every complete line valid. run.json is replaced atomically.
#pragma once

#include <chrono>
#include <filesystem>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "controller/event_sink.h"
#include "controller/run_summary.h"

namespace lkr {

struct RunStart {
  std::vector<std::string> argv;  // already masked by the caller
  std::string inventory_path, inventory_sha256;
  std::string mode;                      // check | run | verify | ping
  std::vector<ClusterOutcome> clusters;  // name and replaced known at start; status pending
};

enum class PhaseEdge { start, end };

class AuditTrail : public EventSink {
 public:
  // Creates LOG_DIR/<run-id>/ and its snapshots/ (mode 0700), writes run.json with status
  // "running" and opens events.jsonl. Throws std::runtime_error when any of it fails:
  // a run must not start without its audit trail.
  AuditTrail(const std::filesystem::path& log_dir, RunStart start);
  ~AuditTrail() override;
  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;

  const std::string& run_id() const { return run_id_; }
  const std::filesystem::path& dir() const { return dir_; }

  // EventSink: every call appends one line to events.jsonl (thread-safe).
  void command(const CommandEvent& e) override;
  void note(const std::string& cluster, const std::string& host, const std::string& step,
            const std::string& text) override;
  void snapshot(const std::string& cluster, const std::string& host, const std::string& name,
                const std::string& content) override;

  void phase(const std::string& cluster, const std::string& phase, PhaseEdge edge,
             const std::string& status = "");

  // snapshots/<cluster>/<host>/<name> (clusters/<cluster>/<name> when host is empty), each
  // part through snapshot_path_component(); the
  // file and its directory are fsync'ed before this returns (no change before the
  // snapshot is on disk). Returns the file's path.
  std::filesystem::path write_snapshot(const std::string& cluster, const std::string& host,
                                       const std::string& name, const std::string& content);

  // Rewrites run.json: `update` while running, `finish` once at the end (status
  // "finished", the exit code, and the count and last hash of events.jsonl).
  void update(const RunSummary& summary);
  void finish(const RunSummary& summary, int exit_code);

 private:
  // Adds run_id, seq, time and prev_sha256, then writes the line: all under one mutex so
  // seq order, chain order and file order are the same.
  void append(nlohmann::ordered_json& event);
  void write_run_json(const RunSummary& summary, const char* status,
                      const nlohmann::ordered_json& exit_code);

  std::filesystem::path dir_;
  std::string run_id_;
  RunStart start_;
  std::string started_;
  int events_fd_ = -1;
  std::mutex events_mutex_;
  long long seq_ = 0;
  std::string last_sha256_;
  std::mutex run_json_mutex_;
  std::mutex snapshot_mutex_;
};

// UTC, `YYYYMMDDTHHMMSSZ-` and 6 random hex digits.
std::string new_run_id();

// ISO-8601 UTC with milliseconds: 2026-11-25T03:45:00.123Z
std::string iso8601_utc_ms(std::chrono::system_clock::time_point t);

// A file name for any cluster, host or snapshot name: letters, digits, non-ASCII UTF-8,
// space, '-', '_' and '.' (not leading) stay as they are; every other byte becomes %XX, so
// the mapping is readable and one-to-one. Empty becomes "%"; over-long names are cut and
// end with '~' and a hash of the whole name ('~' is otherwise always escaped).
std::string snapshot_path_component(const std::string& name);

// Reads run_dir/events.jsonl (and run.json's record of it when the run finished) and
// returns one line of text per problem, naming the line: edited, deleted, inserted,
// reordered, truncated. Empty means the chain is intact.
std::vector<std::string> verify_audit_chain(const std::filesystem::path& run_dir);

// For a run whose run.json does not say "finished": what the trail's incompleteness means
// (still running, or killed/crashed: its last event, and that a re-run reads every node's
// facts again). nullopt for a finished run. Not tampering: the chain is checked apart.
std::optional<std::string> unfinished_run(const std::filesystem::path& run_dir);

}  // namespace lkr
