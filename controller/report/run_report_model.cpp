#include "controller/report/run_report_model.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "controller/audit_verifier.h"
#include "controller/report/audit_time.h"
#include "inventory/file_digest.h"
#include "tasks/runbook.h"

namespace lkr::report {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ReportError(path.string() + ": cannot be read");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A string member, "" when absent or null (run.json writes null for "none").
std::string text_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

json read_run_json(const fs::path& dir) {
  fs::path file = dir / "run.json";
  if (!fs::is_directory(dir)) throw ReportError(dir.string() + ": not a folder");
  if (!fs::exists(file))
    throw ReportError(file.string() +
                      ": missing; an audit folder (LOG_DIR/<run-id>/) holds run.json and "
                      "events.jsonl");
  if (!fs::exists(dir / "events.jsonl"))
    throw ReportError((dir / "events.jsonl").string() + ": missing; not an audit folder");
  json run = json::parse(read_file(file), nullptr, false);
  if (run.is_discarded() || !run.is_object()) throw ReportError(file.string() + ": not JSON");
  for (const char* key : {"run_id", "status", "mode", "started"})
    if (!run.contains(key) || !run[key].is_string())
      throw ReportError(file.string() + ": no \"" + key + "\" string; not lkrecover's run record");
  if (!run.contains("clusters") || !run["clusters"].is_array())
    throw ReportError(file.string() + ": no \"clusters\" list; not lkrecover's run record");
  return run;
}

HostCounts host_counts(const json& h) {
  HostCounts c;
  c.status = text_of(h, "status");
  c.ok = h.value("ok", 0);
  c.changed = h.value("changed", 0);
  c.failed = h.value("failed", 0);
  c.skipped = h.value("skipped", 0);
  c.unreachable = h.value("unreachable", 0);
  return c;
}

ClusterReport cluster_of(const json& c) {
  ClusterReport r;
  r.name = text_of(c, "name");
  r.replaced = text_of(c, "replaced");
  r.status = text_of(c, "status");
  r.failed_step = text_of(c, "failed_step");
  r.failed_host = text_of(c, "failed_host");
  r.reason = text_of(c, "reason");
  r.next = text_of(c, "next");
  if (c.contains("hosts") && c["hosts"].is_object())
    for (const auto& [host, h] : c["hosts"].items())
      if (h.is_object()) r.hosts[host] = host_counts(h);
  return r;
}

void read_run_fields(const json& run, RunReport& r) {
  r.run_id = text_of(run, "run_id");
  r.mode = text_of(run, "mode");
  r.status = text_of(run, "status");
  r.operator_name = text_of(run, "operator");
  r.controller_host = text_of(run, "controller_host");
  r.started = text_of(run, "started");
  r.finished = text_of(run, "finished");
  if (run.contains("inventory") && run["inventory"].is_object()) {
    r.inventory_path = text_of(run["inventory"], "path");
    r.inventory_sha256 = text_of(run["inventory"], "sha256");
  }
  if (run.contains("argv") && run["argv"].is_array())
    for (const auto& a : run["argv"])
      if (a.is_string()) r.argv.push_back(a.get<std::string>());
  if (run.contains("exit_code") && run["exit_code"].is_number_integer())
    r.exit_code = run["exit_code"].get<int>();
  r.interrupted = run.value("interrupted", false);
  if (run.contains("events") && run["events"].is_object()) {
    r.event_count = run["events"].value("count", 0LL);
    r.last_sha256 = text_of(run["events"], "last_sha256");
  }
  for (const auto& c : run["clusters"])
    if (c.is_object()) r.clusters.push_back(cluster_of(c));
}

ClusterReport& cluster_named(RunReport& r, const std::string& name) {
  for (auto& c : r.clusters)
    if (c.name == name) return c;
  ClusterReport extra;  // in the trail but not in run.json (a run that did not finish)
  extra.name = name;
  r.clusters.push_back(extra);
  return r.clusters.back();
}

CommandRecord command_of(const json& e) {
  CommandRecord c;
  c.seq = e.value("seq", 0LL);
  c.host = text_of(e, "host");
  c.step = text_of(e, "step");
  c.command = text_of(e, "command");
  c.status = text_of(e, "status");
  c.message = text_of(e, "message");
  c.stdout_text = text_of(e, "stdout");
  c.stderr_text = text_of(e, "stderr");
  if (e.contains("exit_code") && e["exit_code"].is_number_integer())
    c.exit_code = e["exit_code"].get<int>();
  c.start = text_of(e, "start");
  c.end = text_of(e, "end");
  c.start_ms = parse_audit_time_ms(c.start).value_or(0);
  c.end_ms = std::max(c.start_ms, parse_audit_time_ms(c.end).value_or(c.start_ms));
  c.duration_ms = e.value("duration_ms", c.end_ms - c.start_ms);
  c.truncated = e.value("truncated", false);
  return c;
}

NoteRecord note_of(const json& e) {
  return NoteRecord{e.value("seq", 0LL), text_of(e, "time"), text_of(e, "host"), text_of(e, "step"),
                    text_of(e, "message")};
}

// "snapshot NAME written (N bytes): RELATIVE/PATH": the name and the path. The path's parts
// went through snapshot_path_component(), which escapes ')' and ':' , so the last "): "
// is the separator whatever the name holds.
std::optional<SnapshotRecord> snapshot_of(const json& e, const fs::path& dir) {
  std::string message = text_of(e, "message");
  const std::string prefix = "snapshot ";
  size_t cut = message.rfind("): ");
  size_t name_end = message.rfind(" written (", cut);
  if (message.rfind(prefix, 0) != 0 || cut == std::string::npos || name_end == std::string::npos)
    return std::nullopt;
  SnapshotRecord s;
  s.seq = e.value("seq", 0LL);
  s.name = message.substr(prefix.size(), name_end - prefix.size());
  s.path = message.substr(cut + 3);
  s.sha256 = text_of(e, "sha256");
  fs::path file = dir / s.path;
  std::error_code ec;
  if (s.path.find("..") == std::string::npos && fs::is_regular_file(file, ec)) {
    s.content = read_file(file);
    s.found = true;
    s.matches = sha256_hex(s.content) == s.sha256;
  }
  return s;
}

void add_snapshot(ClusterReport& c, const json& e, const fs::path& dir) {
  if (!text_of(e, "host").empty()) return;  // node snapshots: in the folder, not the report
  auto s = snapshot_of(e, dir);
  if (!s) return;
  // The last one written wins: a checklist is rewritten when a run learns more.
  if (s->name == "plan.txt") c.plan = s;
  if (s->name == "reextension-checklist.txt") c.checklist_txt = s;
  if (s->name == "reextension-checklist.json") c.checklist_json = s;
}

void add_event(RunReport& r, const json& e) {
  std::string type = text_of(e, "type"), cluster = text_of(e, "cluster");
  if (type == "command") {
    cluster_named(r, cluster).commands.push_back(command_of(e));
  } else if (type == "note" && text_of(e, "step") == "snapshot") {
    if (!cluster.empty()) add_snapshot(cluster_named(r, cluster), e, r.dir);
  } else if (type == "note" && cluster.empty()) {
    NoteRecord n = note_of(e);
    if (n.step == "confirm") r.approval = n;
    r.run_notes.push_back(n);
  } else if (type == "note") {
    cluster_named(r, cluster).notes.push_back(note_of(e));
  }
}

std::set<std::string> cluster_serial_steps() {
  std::set<std::string> names;
  for (const auto& s : tasks::runbook::steps())
    if (s.kind == StepKind::cluster_serial) names.insert(s.name);
  return names;
}

// The trail's `phase` events of one cluster, paired start to end by name.
std::vector<PhaseWindow> windows_from_phases(const std::vector<json>& phases,
                                             long long last_end_ms) {
  std::vector<PhaseWindow> windows;
  for (const auto& e : phases) {
    std::string name = text_of(e, "step");
    long long at = parse_audit_time_ms(text_of(e, "time")).value_or(0);
    if (text_of(e, "edge") == "start") {
      windows.push_back(PhaseWindow{name, "", at, std::max(at, last_end_ms), false, true});
      continue;
    }
    for (auto it = windows.rbegin(); it != windows.rend(); ++it) {
      if (it->name != name || !it->status.empty()) continue;
      it->end_ms = std::max(it->start_ms, at);
      it->status = text_of(e, "status").empty() ? "done" : text_of(e, "status");
      break;
    }
  }
  return windows;
}

// A step without phase events (a read-only phase, or an older trail): its window runs from
// its first command's start to its last one's end.
std::vector<PhaseWindow> windows_from_commands(const std::vector<CommandRecord>& commands) {
  std::vector<PhaseWindow> windows;
  for (const auto& c : commands) {
    auto it = std::find_if(windows.begin(), windows.end(),
                           [&](const PhaseWindow& w) { return w.name == c.step; });
    if (it == windows.end()) {
      windows.push_back(PhaseWindow{c.step, "", c.start_ms, c.end_ms, false, false});
    } else {
      it->start_ms = std::min(it->start_ms, c.start_ms);
      it->end_ms = std::max(it->end_ms, c.end_ms);
    }
  }
  return windows;
}

void finish_cluster(ClusterReport& c, const std::vector<json>& phases) {
  long long last_end = 0;
  for (const auto& cmd : c.commands) {
    last_end = std::max(last_end, cmd.end_ms);
    if (std::find(c.host_order.begin(), c.host_order.end(), cmd.host) == c.host_order.end())
      c.host_order.push_back(cmd.host);
  }
  for (const auto& [host, counts] : c.hosts)
    if (std::find(c.host_order.begin(), c.host_order.end(), host) == c.host_order.end())
      c.host_order.push_back(host);
  // The trail's phase events cover the runbook's steps; the read-only phases around them
  // (preflight, snapshot, verify) are known from their commands only.
  c.windows = windows_from_phases(phases, last_end);
  for (auto& derived : windows_from_commands(c.commands)) {
    auto same = [&](const PhaseWindow& w) { return w.name == derived.name; };
    if (std::none_of(c.windows.begin(), c.windows.end(), same)) c.windows.push_back(derived);
  }
  std::stable_sort(
      c.windows.begin(), c.windows.end(),
      [](const PhaseWindow& a, const PhaseWindow& b) { return a.start_ms < b.start_ms; });
  static const std::set<std::string> serial = cluster_serial_steps();
  for (auto& w : c.windows) w.cluster_serial = serial.count(w.name) > 0;
}

void read_events(RunReport& r) {
  std::ifstream in(r.dir / "events.jsonl", std::ios::binary);
  if (!in) throw ReportError((r.dir / "events.jsonl").string() + ": cannot be read");
  std::map<std::string, std::vector<json>> phases;  // per cluster, in trail order
  std::string line;
  while (std::getline(in, line)) {
    json e = json::parse(line, nullptr, false);
    if (e.is_discarded() || !e.is_object()) {
      ++r.unreadable_lines;  // the chain check names the line and what happened to it
      continue;
    }
    if (text_of(e, "type") == "phase") {
      cluster_named(r, text_of(e, "cluster"));
      phases[text_of(e, "cluster")].push_back(e);
      continue;
    }
    add_event(r, e);
  }
  for (auto& c : r.clusters) finish_cluster(c, phases[c.name]);
}

}  // namespace

RunReport load_run_report(const fs::path& run_dir, const std::optional<AuditKey>& key) {
  json run = read_run_json(run_dir);
  RunReport r;
  r.dir = run_dir;
  read_run_fields(run, r);
  read_events(r);
  r.chain_problems = verify_audit_chain(run_dir, key);
  if (key) r.key_id = key->id;
  r.unfinished = unfinished_run(run_dir);
  return r;
}

}  // namespace lkr::report
