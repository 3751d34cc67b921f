#include "controller/audit_trail.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "controller/audit_verifier.h"
#include "controller/durable_file.h"
#include "controller/log_dir_guard.h"
#include "controller/run_id.h"
#include "controller/snapshot_path.h"
#include "controller/summary_json.h"
#include "inventory/file_digest.h"
#include "inventory/login_name.h"

namespace lkr {

using Json = nlohmann::ordered_json;

namespace {

// Invalid UTF-8 (a node's stray bytes) becomes U+FFFD rather than reaching the file.
std::string dump_line(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Json null_if_empty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

std::string controller_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

}  // namespace

AuditTrail::AuditTrail(const std::filesystem::path& log_dir, RunStart start)
    : start_(std::move(start)), last_sha256_(kChainStartHash) {
  ensure_private_log_dir(log_dir);
  // mkdir, never "exists already, use it": a folder someone made in advance under the name
  // we picked is theirs, so another id is drawn.
  for (int attempt = 0;; ++attempt) {
    run_id_ = new_run_id();
    dir_ = log_dir / run_id_;
    if (::mkdir(dir_.c_str(), 0700) == 0) break;
    if (errno != EEXIST || attempt == 20) fail_errno("cannot create", dir_);
  }
  make_private_dir(dir_ / "snapshots");
  started_ = iso8601_utc_ms(std::chrono::system_clock::now());
  std::filesystem::path events = dir_ / "events.jsonl";
  events_fd_ = ::open(events.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (events_fd_ < 0) fail_errno("cannot create", events);
  RunSummary initial;
  initial.clusters = start_.clusters;
  write_run_json(initial, "running", nullptr);
}

AuditTrail::~AuditTrail() {
  if (events_fd_ >= 0) {
    ::fsync(events_fd_);
    ::close(events_fd_);
  }
}

void AuditTrail::append(Json& event) {
  std::lock_guard lock(events_mutex_);
  Json line{{"run_id", run_id_},
            {"seq", seq_ + 1},
            {"time", iso8601_utc_ms(std::chrono::system_clock::now())}};
  for (auto& [key, value] : event.items()) line[key] = std::move(value);
  line["prev_sha256"] = last_sha256_;
  std::string bytes = dump_line(line);
  if (start_.key) bytes = sign_line(*start_.key, bytes);
  write_all(events_fd_, bytes + "\n", dir_ / "events.jsonl");
  ++seq_;
  last_sha256_ = sha256_hex(bytes);
}

void AuditTrail::command(const CommandEvent& e) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  Json event{{"type", "command"},
             {"cluster", e.cluster},
             {"host", e.host},
             {"step", e.step},
             {"command", e.command},
             {"start", iso8601_utc_ms(e.start)},
             {"end", iso8601_utc_ms(e.end)},
             {"duration_ms", duration_cast<milliseconds>(e.end - e.start).count()},
             {"exit_code", e.exit_code ? Json(*e.exit_code) : Json(nullptr)},
             {"stdout", e.stdout_text},
             {"stderr", e.stderr_text},
             {"status", to_string(e.status)}};
  if (!e.message.empty()) event["message"] = e.message;
  event["truncated"] = e.truncated;
  if (!e.invocation.id.empty())
    event["invocation"] = Json{{"id", e.invocation.id},
                               {"index", e.invocation.index},
                               {"size", e.invocation.size},
                               {"round_trips", e.invocation.round_trips}};
  append(event);
}

void AuditTrail::note(const std::string& cluster, const std::string& host, const std::string& step,
                      const std::string& text) {
  Json event{{"type", "note"},
             {"cluster", cluster},
             {"host", null_if_empty(host)},
             {"step", step},
             {"message", text}};
  append(event);
}

void AuditTrail::phase(const std::string& cluster, const std::string& phase, PhaseEdge edge,
                       const std::string& status) {
  Json event{{"type", "phase"},
             {"cluster", cluster},
             {"step", phase},
             {"edge", edge == PhaseEdge::start ? "start" : "end"}};
  if (!status.empty()) event["status"] = status;
  append(event);
}

void AuditTrail::intent(const std::string& cluster, const std::string& host,
                        const std::string& step, const std::string& command) {
  Json event{{"type", "intent"}, {"cluster", cluster}, {"host", host},
             {"step", step},     {"command", command}, {"message", "about to run"}};
  append(event);
  std::lock_guard lock(events_mutex_);
  if (::fsync(events_fd_) != 0) fail_errno("cannot fsync", dir_ / "events.jsonl");
}

void AuditTrail::snapshot(const std::string& cluster, const std::string& host,
                          const std::string& name, const std::string& content) {
  write_snapshot(cluster, host, name, content);
}

std::filesystem::path AuditTrail::write_snapshot(const std::string& cluster,
                                                 const std::string& host, const std::string& name,
                                                 const std::string& content) {
  // What belongs to a whole cluster (its re-extension checklist) has no host: it goes to
  // clusters/<cluster>/, where an operator looks for it, not to a host folder named "%".
  std::filesystem::path folder =
      host.empty()
          ? dir_ / "clusters" / snapshot_path_component(cluster)
          : dir_ / "snapshots" / snapshot_path_component(cluster) / snapshot_path_component(host);
  // "datakeeper/job-<id>.reg": a folder the product names, then one file name that may
  // hold anything (a '/' in a job id stays inside the file name, escaped).
  std::string file_name = name;
  std::vector<std::filesystem::path> folders{folder.parent_path(), folder};
  if (auto slash = name.find('/'); slash != std::string::npos && slash > 0) {
    folder /= snapshot_path_component(name.substr(0, slash));
    folders.push_back(folder);
    file_name = name.substr(slash + 1);
  }
  std::filesystem::path file = folder / snapshot_path_component(file_name);
  {
    std::lock_guard lock(snapshot_mutex_);
    for (const auto& f : folders) make_private_dir(f);
  }
  write_file_atomically(file, content);
  Json event{{"type", "note"},
             {"cluster", cluster},
             {"host", host},
             {"step", "snapshot"},
             {"message", "snapshot " + name + " written (" + std::to_string(content.size()) +
                             " bytes): " + std::filesystem::relative(file, dir_).string()},
             {"sha256", sha256_hex(content)}};
  append(event);
  return file;
}

std::pair<long long, std::string> AuditTrail::chain_head() {
  std::lock_guard lock(events_mutex_);
  return {seq_, last_sha256_};
}

void AuditTrail::finish(const RunSummary& summary, int exit_code) {
  {
    std::lock_guard lock(events_mutex_);
    if (::fsync(events_fd_) != 0) fail_errno("cannot fsync", dir_ / "events.jsonl");
  }
  write_run_json(summary, "finished", exit_code);
}

void AuditTrail::write_run_json(const RunSummary& summary, const char* status,
                                const Json& exit_code) {
  bool finished = std::string(status) == "finished";
  Json events;
  {
    std::lock_guard lock(events_mutex_);
    events = Json{{"count", seq_}, {"last_sha256", last_sha256_}};
  }
  Json run{{"version", 1},
           {"run_id", run_id_},
           {"status", status},
           {"argv", start_.argv},
           {"inventory", {{"path", start_.inventory_path}, {"sha256", start_.inventory_sha256}}},
           {"operator", login_name()},
           {"controller_host", controller_host()},
           {"mode", start_.mode},
           {"started", started_},
           {"finished",
            finished ? Json(iso8601_utc_ms(std::chrono::system_clock::now())) : Json(nullptr)},
           {"exit_code", exit_code},
           {"interrupted", summary.interrupted},
           {"clusters", clusters_json(summary.clusters)},
           {"totals", totals_json(summary.clusters)},
           {"events", events}};
  if (start_.key)
    run["audit_key"] = Json{{"id", start_.key->id}, {"file", start_.key->file.string()}};
  std::string text = run.dump(2, ' ', false, Json::error_handler_t::replace);
  if (start_.key) text = sign_document(*start_.key, text);
  std::lock_guard lock(run_json_mutex_);
  write_file_atomically(dir_ / "run.json", text + "\n");
}

}  // namespace lkr
