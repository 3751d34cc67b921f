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

#include "controller/audit_key.h"
#include "controller/event_sink.h"
#include "controller/run_summary.h"

namespace lkr {

struct RunStart {
  std::vector<std::string> argv;  // already masked by the caller
  std::string inventory_path, inventory_sha256;
  std::string mode;                      // check | run | verify | ping
  std::vector<ClusterOutcome> clusters;  // name and replaced known at start; status pending
  // Signs every events.jsonl line and run.json (audit_key.h); without it the trail is
  // only hash-chained, which whoever can write the folder can recompute.
  std::optional<AuditKey> key = {};
};

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
  // The lines written so far and the SHA-256 of the last one: the recap and the system
  // journal show them, so a trail rewritten later no longer matches what was seen.
  std::pair<long long, std::string> chain_head();

  // EventSink: every call appends one line to events.jsonl (thread-safe).
  void command(const CommandEvent& e) override;
  void note(const std::string& cluster, const std::string& host, const std::string& step,
            const std::string& text) override;
  void snapshot(const std::string& cluster, const std::string& host, const std::string& name,
                const std::string& content) override;

  void phase(const std::string& cluster, const std::string& phase, PhaseEdge edge,
             const std::string& status) override;
  // An "intent" line, fsync'ed before this returns.
  void intent(const std::string& cluster, const std::string& host, const std::string& step,
              const std::string& command) override;

  // snapshots/<cluster>/<host>/<name> (clusters/<cluster>/<name> when host is empty), each
  // part through snapshot_path_component(); a name "folder/file" (Command::record) puts
  // the file in that folder, and any further '/' belongs to the file name; the
  // file and its directory are fsync'ed before this returns (no change before the
  // snapshot is on disk). Returns the file's path.
  std::filesystem::path write_snapshot(const std::string& cluster, const std::string& host,
                                       const std::string& name, const std::string& content);

  // Rewrites run.json once at the end: status "finished", the exit code, and the count
  // and last hash of events.jsonl.
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

}  // namespace lkr
