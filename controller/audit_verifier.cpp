#include "controller/audit_verifier.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "controller/audit_key.h"
#include "controller/run_lock.h"
#include "inventory/file_digest.h"

namespace lkr {

using Json = nlohmann::ordered_json;

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
      if (lines_[0].prev != kChainStartHash)
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

namespace {

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  return all.str();
}

// Every line and run.json against the key the run names. A chain recomputed after an
// edit, a tail cut with run.json's count fixed up, or a signature stripped: each is a
// MAC that no longer matches, or one that is missing.
class MacChecker {
 public:
  MacChecker(const std::optional<AuditKey>& key, std::vector<std::string>& problems)
      : key_(key), problems_(problems) {}

  void run(const std::filesystem::path& run_dir, const std::vector<ChainLine>& lines) {
    std::string text = read_all(run_dir / "run.json");
    while (!text.empty() && text.back() == '\n') text.pop_back();
    Json run = Json::parse(text, nullptr, false);
    if (!run.is_object()) return;  // reported by check_against_run_json
    std::string id = run.contains("audit_key") ? run["audit_key"].value("id", "") : "";
    if (id.empty()) return unsigned_run(lines);
    if (!key_) {
      problems_.push_back("run.json: signed with audit key " + id +
                          ", which was not found: its MACs were not checked; pass --audit-key "
                          "FILE (the key named by run.json's audit_key.file)");
      return;
    }
    if (key_->id != id) {
      problems_.push_back("run.json: signed with audit key " + id + ", not with " + key_->id +
                          " (" + key_->file.string() + "): pass the key run.json names");
      return;
    }
    check_document(text);
    for (size_t i = 0; i < lines.size(); ++i) check_line(i, lines[i]);
  }

 private:
  void unsigned_run(const std::vector<ChainLine>& lines) {
    bool any_signed = false;
    for (const auto& l : lines) any_signed = any_signed || split_signed_line(l.bytes);
    if (any_signed)
      problems_.push_back(
          "run.json names no audit key, but events.jsonl lines are signed: the signature "
          "was stripped from run.json");
    else if (key_)
      problems_.push_back(
          "the trail is not signed (run.json names no audit key): only its hash chain was "
          "checked, which whoever can write the folder can recompute");
  }

  void check_document(const std::string& text) {
    auto signed_text = split_signed_document(text);
    if (!signed_text || audit_mac(*key_, signed_text->body) != signed_text->mac)
      problems_.push_back("run.json: edited: its HMAC does not match the audit key");
  }

  void check_line(size_t i, const ChainLine& line) {
    if (line.cut) return;  // reported as cut already
    auto signed_text = split_signed_line(line.bytes);
    if (!signed_text)
      problems_.push_back(at_line(i) + "carries no HMAC: written without the audit key");
    else if (audit_mac(*key_, signed_text->body) != signed_text->mac)
      problems_.push_back(at_line(i) +
                          "edited: its HMAC does not match the audit key (a recomputed chain "
                          "cannot fix that without the key)");
  }

  const std::optional<AuditKey>& key_;
  std::vector<std::string>& problems_;
};

}  // namespace

std::vector<std::string> verify_audit_chain(const std::filesystem::path& run_dir,
                                            const std::optional<AuditKey>& key) {
  std::vector<std::string> problems;
  std::vector<ChainLine> lines = read_chain(run_dir / "events.jsonl", problems);
  ChainChecker(lines, problems).run();
  check_against_run_json(run_dir, lines, problems);
  MacChecker(key, problems).run(run_dir, lines);
  return problems;
}

}  // namespace lkr
