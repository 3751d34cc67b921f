#include "controller/audit_trail.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

#include "controller/log_dir_guard.h"
#include "controller/run_lock.h"
#include "inventory/file_digest.h"
#include "inventory/login_name.h"
#include "transports/utf8_sequence.h"

namespace lkr {

using Json = nlohmann::ordered_json;

namespace {

const std::string kZeroHash(64, '0');

[[noreturn]] void fail_errno(const std::string& what, const std::filesystem::path& path) {
  throw std::runtime_error("audit trail: " + what + " " + path.string() + ": " +
                           std::strerror(errno));
}

// Invalid UTF-8 (a node's stray bytes) becomes U+FFFD rather than reaching the file.
std::string dump_line(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write_all(int fd, const std::string& bytes, const std::filesystem::path& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno("cannot write", path);
    done += static_cast<size_t>(n);
  }
}

void fsync_path(const std::filesystem::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) fail_errno("cannot open", path);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail_errno("cannot fsync", path);
}

// tmp + fsync + rename + fsync(dir): a reader sees the old file or the new, never half.
void write_file_atomically(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail_errno("cannot create", tmp);
  write_all(fd, bytes, tmp);
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail_errno("cannot fsync", tmp);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail_errno("cannot rename to", path);
  fsync_path(path.parent_path(), O_RDONLY | O_DIRECTORY);
}

void make_private_dir(const std::filesystem::path& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) fail_errno("cannot create", path);
}

const char* host_status(const HostTally& t) {
  if (t.failed) return "failed";
  if (t.unreachable) return "unreachable";
  if (t.changed) return "changed";
  if (t.ok) return "ok";
  if (t.skipped) return "skipped";
  return "pending";
}

Json null_if_empty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json tally_json(const HostTally& t) {
  return Json{{"status", host_status(t)}, {"ok", t.ok},           {"changed", t.changed},
              {"failed", t.failed},       {"skipped", t.skipped}, {"unreachable", t.unreachable}};
}

Json clusters_json(const std::vector<ClusterOutcome>& clusters, Json& totals) {
  Json out = Json::array();
  for (const auto& c : clusters) {
    Json hosts = Json::object();
    for (const auto& [name, tally] : c.hosts) {
      hosts[name] = tally_json(tally);
      for (const char* k : {"ok", "changed", "failed", "skipped", "unreachable"})
        totals[k] = totals[k].get<int>() + hosts[name][k].get<int>();
      totals["hosts"] = totals["hosts"].get<int>() + 1;
    }
    out.push_back(Json{{"name", c.name},
                       {"replaced", c.replaced},
                       {"status", to_string(c.status)},
                       {"failed_step", null_if_empty(c.failed_step)},
                       {"failed_host", null_if_empty(c.failed_host)},
                       {"reason", null_if_empty(c.reason)},
                       {"next", null_if_empty(c.next)},
                       {"hosts", hosts}});
  }
  return out;
}

std::string controller_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

bool kept_as_is(unsigned char c, bool first) {
  return std::isalnum(c) || c == '-' || c == '_' || c == ' ' || (c == '.' && !first);
}

}  // namespace

std::string new_run_id() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  std::random_device device;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%06x", device() & 0xffffffu);
  return std::string(stamp) + "-" + suffix;
}

std::string iso8601_utc_ms(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  long long millis = ms % 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03lldZ", millis);
  return text;
}

std::string snapshot_path_component(const std::string& name) {
  if (name.empty()) return "%";
  std::string out;
  for (size_t i = 0; i < name.size();) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x80 && kept_as_is(c, i == 0)) {
      out += static_cast<char>(c);
      ++i;
    } else if (size_t length = c >= 0x80 ? utf8_sequence_length(name, i) : 0) {
      out.append(name, i, length);
      i += length;
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
      ++i;
    }
  }
  // 255 bytes is the usual file name limit; keep room for ".tmp".
  constexpr size_t kMaxLength = 200;
  if (out.size() > kMaxLength) {
    size_t cut = kMaxLength - 17;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    if (cut >= 2 && out[cut - 1] == '%') cut -= 1;  // never split an escape
    if (cut >= 2 && out[cut - 2] == '%') cut -= 2;
    out = out.substr(0, cut) + "~" + sha256_hex(name).substr(0, 16);
  }
  return out;
}

AuditTrail::AuditTrail(const std::filesystem::path& log_dir, RunStart start)
    : start_(std::move(start)), last_sha256_(kZeroHash) {
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
  std::filesystem::path file = folder / snapshot_path_component(name);
  {
    std::lock_guard lock(snapshot_mutex_);
    make_private_dir(folder.parent_path());
    make_private_dir(folder);
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

void AuditTrail::update(const RunSummary& summary) { write_run_json(summary, "running", nullptr); }

void AuditTrail::finish(const RunSummary& summary, int exit_code) {
  {
    std::lock_guard lock(events_mutex_);
    if (::fsync(events_fd_) != 0) fail_errno("cannot fsync", dir_ / "events.jsonl");
  }
  write_run_json(summary, "finished", exit_code);
}

void AuditTrail::write_run_json(const RunSummary& summary, const char* status,
                                const Json& exit_code) {
  Json totals{{"hosts", 0},  {"ok", 0},      {"changed", 0},
              {"failed", 0}, {"skipped", 0}, {"unreachable", 0}};
  Json clusters = clusters_json(summary.clusters, totals);
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
           {"clusters", clusters},
           {"totals", totals},
           {"events", events}};
  std::lock_guard lock(run_json_mutex_);
  write_file_atomically(dir_ / "run.json",
                        run.dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
}

namespace {

struct ChainLine {
  std::string bytes;
  long long seq = -1;  // -1: not a JSON object with a seq
  std::string prev;
  bool cut = false;  // the file ends inside this line (reported as such already)
};

std::vector<ChainLine> read_chain(const std::filesystem::path& file,
                                  std::vector<std::string>& problems) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    problems.push_back(file.string() + ": missing");
    return {};
  }
  std::ostringstream all;
  all << in.rdbuf();
  std::string text = all.str();
  std::vector<ChainLine> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      problems.push_back("events.jsonl:" + std::to_string(lines.size() + 1) +
                         ": incomplete last line (no newline): cut or killed mid-write");
      end = text.size();
    }
    ChainLine line;
    line.cut = end == text.size() && (text.empty() || text.back() != '\n');
    line.bytes = text.substr(start, end - start);
    Json j = Json::parse(line.bytes, nullptr, false);
    if (j.is_object() && j.contains("seq") && j["seq"].is_number_integer() &&
        j.contains("prev_sha256") && j["prev_sha256"].is_string()) {
      line.seq = j["seq"].get<long long>();
      line.prev = j["prev_sha256"].get<std::string>();
    }
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::string at_line(size_t index) { return "events.jsonl:" + std::to_string(index + 1) + ": "; }

class ChainChecker {
 public:
  ChainChecker(const std::vector<ChainLine>& lines, std::vector<std::string>& problems)
      : lines_(lines), problems_(problems) {
    for (size_t i = 0; i < lines.size(); ++i) later_seqs_.insert(lines[i].seq);
  }

  void run() {
    for (size_t i = 0; i < lines_.size(); ++i) check_line(i);
  }

 private:
  void check_line(size_t i) {
    const ChainLine& line = lines_[i];
    later_seqs_.erase(later_seqs_.find(line.seq));
    if (line.seq < 0) {
      if (!line.cut)
        problems_.push_back(at_line(i) + "not an event with seq and prev_sha256: edited");
      return;
    }
    if (auto seen = line_of_seq_.find(line.seq); seen != line_of_seq_.end()) {
      problems_.push_back(at_line(i) + "seq " + std::to_string(line.seq) +
                          " already used on line " + std::to_string(seen->second + 1) +
                          ": a line was inserted");
    } else if (line.seq < expected_) {
      problems_.push_back(at_line(i) + "seq " + std::to_string(line.seq) + " comes after seq " +
                          std::to_string(expected_ - 1) + ": lines reordered");
    } else if (line.seq > expected_) {
      report_gap(i, line.seq);
    } else {
      check_link(i);
    }
    line_of_seq_.emplace(line.seq, i);
    expected_ = std::max(expected_, line.seq + 1);
  }

  // Seqs missing here and nowhere later were deleted. When they come later, this line is
  // out of place (inserted with a made-up seq, or moved up): named here, and the later
  // lines are named as reordered where they are met.
  void report_gap(size_t i, long long seq) {
    long long first_missing = expected_;
    bool any_later = false;
    for (long long s = expected_; s < seq; ++s) any_later = any_later || later_seqs_.count(s);
    if (any_later) {
      problems_.push_back(at_line(i) + "seq " + std::to_string(seq) + " comes before seq " +
                          std::to_string(first_missing) +
                          ", found on a later line: a line "
                          "inserted or moved here");
      return;
    }
    problems_.push_back(at_line(i) + "seq " + std::to_string(seq) + " follows seq " +
                        std::to_string(first_missing - 1) + ": " +
                        std::to_string(seq - first_missing) + " line(s) deleted (seq " +
                        std::to_string(first_missing) + ".." + std::to_string(seq - 1) + ")");
  }

  // The line's prev_sha256 against the bytes of the line before it.
  void check_link(size_t i) {
    if (i == 0) {
      if (lines_[0].prev != kZeroHash)
        problems_.push_back(at_line(0) + "prev_sha256 of the first line is not zero: edited");
      return;
    }
    const ChainLine& before = lines_[i - 1];
    if (before.seq != lines_[i].seq - 1) return;  // already reported as a seq problem
    if (sha256_hex(before.bytes) != lines_[i].prev)
      problems_.push_back(at_line(i - 1) +
                          "edited: its SHA-256 does not match prev_sha256 on line " +
                          std::to_string(i + 1));
  }

  const std::vector<ChainLine>& lines_;
  std::vector<std::string>& problems_;
  std::multiset<long long> later_seqs_;
  std::map<long long, size_t> line_of_seq_;
  long long expected_ = 1;
};

// A finished run recorded how many lines it wrote and the hash of the last one: that
// catches what the chain cannot, an edited last line or lines cut from the end.
void check_against_run_json(const std::filesystem::path& run_dir,
                            const std::vector<ChainLine>& lines,
                            std::vector<std::string>& problems) {
  std::ifstream in(run_dir / "run.json");
  Json run = Json::parse(in, nullptr, false);
  if (!run.is_object()) {
    problems.push_back("run.json: missing or not JSON");
    return;
  }
  if (run.value("status", "") != "finished" || !run.contains("events")) return;
  long long count = run["events"].value("count", -1LL);
  std::string last = run["events"].value("last_sha256", "");
  long long have = static_cast<long long>(lines.size());
  if (count != have) {
    problems.push_back(
        "events.jsonl has " + std::to_string(have) + " lines, run.json records " +
        std::to_string(count) + ": " +
        (have < count ? "lines deleted at the end" : "lines appended after the run"));
  } else if (!lines.empty() && sha256_hex(lines.back().bytes) != last) {
    problems.push_back(at_line(lines.size() - 1) +
                       "edited: the last line's SHA-256 differs from run.json's record");
  }
}

}  // namespace

std::optional<std::string> unfinished_run(const std::filesystem::path& run_dir) {
  std::ifstream in(run_dir / "run.json");
  Json run = Json::parse(in, nullptr, false);
  if (!run.is_object()) return std::nullopt;  // reported by verify_audit_chain
  std::string status = run.value("status", "");
  if (status == "finished") return std::nullopt;
  std::vector<std::string> ignored;
  std::vector<ChainLine> lines = read_chain(run_dir / "events.jsonl", ignored);
  long long last_seq = 0;
  for (const auto& l : lines) last_seq = std::max(last_seq, l.seq);
  std::string where = "run.json says \"" + status + "\"; events.jsonl ends at seq " +
                      std::to_string(last_seq) + " (" + std::to_string(lines.size()) + " lines)";
  std::string run_id = run.value("run_id", "");
  std::filesystem::path log_dir = std::filesystem::absolute(run_dir).lexically_normal();
  if (!log_dir.has_filename()) log_dir = log_dir.parent_path();
  if (auto holder = live_lock_holder(log_dir.parent_path(), run_id))
    return "incomplete: the run is still going (pid " + std::to_string(holder->pid) + ", started " +
           holder->started + "); " + where;
  return "incomplete: the run never finished (killed or crashed): " + where +
         "; nothing after that line was recorded; a re-run reads every node's facts again "
         "and finishes the recovery";
}

std::vector<std::string> verify_audit_chain(const std::filesystem::path& run_dir) {
  std::vector<std::string> problems;
  std::vector<ChainLine> lines = read_chain(run_dir / "events.jsonl", problems);
  ChainChecker(lines, problems).run();
  check_against_run_json(run_dir, lines, problems);
  return problems;
}

}  // namespace lkr
