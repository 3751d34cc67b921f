#include "tasks/parsers/datakeeper_output.h"

#include <optional>
#include <string>

#include "tasks/assumed_formats.h"
#include "tasks/parsers/text_lines.h"

namespace lkr::tasks {
namespace {

constexpr std::string_view kJobInfoCommand = "emcmd getjobinfoforvol";
constexpr std::string_view kJobInfoShape =
    "blocks of \"Key = value\" lines (ID, Name, Description, MirrorEndPoints)";

struct KeyValue {
  std::string key, value;
};

std::optional<KeyValue> split_key_value(std::string_view line) {
  std::size_t eq = line.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  return KeyValue{trim(line.substr(0, eq)), trim(line.substr(eq + 1))};
}

// Collects the blocks of one getjobinfoforvol output; checks each when it closes.
class JobBlocks {
 public:
  void add(const KeyValue& kv, std::string_view line) {
    if (kv.key == "ID") {
      close();
      open_ = true;
      current_ = Job{};
      current_.id = kv.value;
      id_line_ = line;
      if (!assumed::is_job_id(kv.value))
        throw_odd_output(kJobInfoCommand, "a job ID shaped like a GUID", line);
      return;
    }
    if (!open_) throw_odd_output(kJobInfoCommand, "a block starting with \"ID = \"", line);
    if (kv.key == "Name") current_.name = kv.value;
    if (kv.key == "Description") current_.description = kv.value;
    if (kv.key == "MirrorEndPoints") {
      current_.endpoints = parse_mirror_endpoints(kv.value);
      has_endpoints_ = true;
    }
    // Other keys a newer DataKeeper may print are not needed and left alone.
  }
  void close() {
    if (!open_) return;
    if (!has_endpoints_)
      throw_odd_output(kJobInfoCommand, "a MirrorEndPoints line in the job's block", id_line_);
    jobs_.push_back(current_);
    open_ = has_endpoints_ = false;
  }
  std::vector<Job> take() {
    close();
    return std::move(jobs_);
  }

 private:
  std::vector<Job> jobs_;
  Job current_;
  std::string id_line_;
  bool open_ = false, has_endpoints_ = false;
};

}  // namespace

std::vector<MirrorEndpoint> parse_mirror_endpoints(std::string_view value) {
  constexpr std::string_view shape =
      "MirrorEndPoints as 7-field tuples source;volume;sourceIP;target;volume;targetIP;A|S";
  std::vector<std::string> f = split_on(value, assumed::kEndpointSeparator);
  if (f.size() % assumed::kEndpointTupleFields != 0)
    throw_odd_output(kJobInfoCommand, shape, value);
  std::vector<MirrorEndpoint> endpoints;
  for (std::size_t i = 0; i < f.size(); i += assumed::kEndpointTupleFields) {
    MirrorEndpoint e{trim(f[i]),     trim(f[i + 1]), trim(f[i + 2]), trim(f[i + 3]),
                     trim(f[i + 4]), trim(f[i + 5]), trim(f[i + 6])};
    if (e.source.empty() || e.target.empty() || (e.mode != "A" && e.mode != "S"))
      throw_odd_output(kJobInfoCommand, shape, value);
    endpoints.push_back(e);
  }
  return endpoints;
}

std::vector<Job> parse_job_info(std::string_view text) {
  JobBlocks blocks;
  for (const std::string& line : split_lines(text)) {
    if (trim(line).empty()) {
      blocks.close();  // blocks are separated by an empty line
      continue;
    }
    if (!is_clean_text(line)) throw_odd_output(kJobInfoCommand, kJobInfoShape, line);
    std::optional<KeyValue> kv = split_key_value(line);
    if (!kv || kv->key.empty()) throw_odd_output(kJobInfoCommand, kJobInfoShape, line);
    blocks.add(*kv, line);
  }
  return blocks.take();
}

int parse_emcmd_status(std::string_view text, std::string_view command) {
  constexpr std::string_view shape = "a line \"Status = N\"";
  for (const std::string& line : split_lines(text)) {
    std::optional<KeyValue> kv = split_key_value(line);
    if (kv && kv->key == assumed::kStatusKey)
      return parse_int_field(kv->value, command, shape, line);
  }
  std::vector<std::string> lines = split_lines(text);
  if (lines.empty()) throw_no_output(command, shape);
  throw_odd_output(command, shape, lines.front());
}

std::vector<MirrorLine> parse_mirror_info(std::string_view text) {
  constexpr std::string_view command = "emcmd getmirrorvolinfo";
  std::vector<MirrorLine> mirrors;
  for (const std::string& line : split_lines(text)) {
    if (trim(line).empty()) continue;
    std::vector<std::string> f = split_on_blanks(line);
    bool shaped = is_clean_text(line) && f.size() == 4 && f[0].size() >= 2 && f[0].back() == ':';
    if (!shaped) throw_odd_output(command, assumed::kMirrorLineShape, line);
    std::string volume = f[0].substr(0, f[0].size() - 1);
    mirrors.push_back(MirrorLine{volume, f[1], f[2], f[3]});
  }
  return mirrors;
}

}  // namespace lkr::tasks
