#include "tasks/parsers/datakeeper_output.h"

#include <optional>

#include "tasks/assumed_formats.h"
#include "tasks/parsers/text_lines.h"

namespace lkr::tasks {
namespace {

constexpr std::string_view kJobInfoCommand = "emcmd getjobinfoforvol";
constexpr std::string_view kJobInfoShape =
    "blocks of \"Key = value\" lines (ID, Name, Description, MirrorEndPoints)";
constexpr std::string_view kRegCommand = "reg query (DataKeeper jobs)";
constexpr std::string_view kRegShape =
    "job keys under ...\\ExtMirr\\Parameters\\Jobs with values \"    Name    TYPE    data\"";

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
      current_ = ListedJob{};
      current_.id = kv.value;
      if (!assumed::is_job_id(kv.value))
        throw_odd_output(kJobInfoCommand, "a job ID shaped like a GUID", line);
      return;
    }
    if (!open_) throw_odd_output(kJobInfoCommand, "a block starting with \"ID = \"", line);
    if (kv.key == "Name") current_.name = kv.value;
    if (kv.key == "Description") current_.description = kv.value;
    // One line per tuple, or all tuples on one line (UNKNOWN which): both add up.
    if (kv.key == "MirrorEndPoints")
      for (const auto& e : parse_mirror_endpoints(kv.value, kJobInfoCommand))
        current_.endpoints.push_back(e);
    // Other keys a newer DataKeeper may print are not needed: the registry is the source.
  }
  void close() {
    if (!open_) return;
    jobs_.push_back(current_);
    open_ = false;
  }
  std::vector<ListedJob> take() {
    close();
    return std::move(jobs_);
  }

 private:
  std::vector<ListedJob> jobs_;
  ListedJob current_;
  bool open_ = false;
};

bool is_address(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' ||
          c == ':' || c == '%'))
      return false;
  return true;
}

// The start of the last blank-separated word of `s` (s has no trailing blank).
std::size_t last_word_start(std::string_view s) {
  std::size_t at = s.find_last_of(" \t");
  return at == std::string_view::npos ? 0 : at + 1;
}

MirrorLine parse_mirror_line(const std::string& line) {
  constexpr std::string_view command = "emcmd getmirrorvolinfo";
  const std::string_view shape = assumed::kMirrorLineShape;
  std::string rest = trim(line);
  // "V:" then the role, then "<other system> <other IP> <state>" read from the end: the
  // system name may hold spaces.
  std::size_t colon = rest.find(':');
  if (colon != 1 || !assumed::is_drive_letter(rest.substr(0, 1)))
    throw_odd_output(command, shape, line);
  MirrorLine m;
  m.volume = rest.substr(0, 1);
  rest = trim(std::string_view(rest).substr(2));
  std::size_t role_end = rest.find_first_of(" \t");
  if (role_end == std::string::npos) throw_odd_output(command, shape, line);
  m.role = parse_int_field(rest.substr(0, role_end), command, shape, line);
  rest = trim(std::string_view(rest).substr(role_end));
  std::size_t state_at = last_word_start(rest);
  m.state = parse_int_field(rest.substr(state_at), command, shape, line);
  rest = trim(std::string_view(rest).substr(0, state_at));
  std::size_t ip_at = last_word_start(rest);
  m.other_ip = rest.substr(ip_at);
  m.other_system = trim(std::string_view(rest).substr(0, ip_at));
  if (ip_at == 0 || m.other_system.empty() || !is_address(m.other_ip) || m.state < 0 ||
      m.state > assumed::kMaxMirrorState)
    throw_odd_output(command, shape, line);
  return m;
}

// reg.exe lays a value out as 4 spaces, name, 4 spaces, type, 4 spaces, data.
struct RegValue {
  std::string name, type, data;
};

std::optional<RegValue> split_reg_value(std::string_view line) {
  constexpr std::string_view gap = "    ";
  if (line.substr(0, gap.size()) != gap) return std::nullopt;
  line.remove_prefix(gap.size());
  std::size_t a = line.find(gap);
  if (a == std::string_view::npos) return std::nullopt;
  std::string_view after_name = line.substr(a + gap.size());
  std::size_t b = after_name.find(gap);
  RegValue v{std::string(line.substr(0, a)), std::string(after_name.substr(0, b)), ""};
  if (b != std::string_view::npos) v.data = std::string(after_name.substr(b + gap.size()));
  if (v.name.empty() || v.type.rfind("REG_", 0) != 0) return std::nullopt;
  return v;
}

// REG_MULTI_SZ as reg prints it: entries joined by the two characters "\0".
std::vector<std::string> multi_string_entries(std::string_view data) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t at = data.find("\\0", start);
    std::string_view entry = data.substr(start, at == std::string_view::npos ? at : at - start);
    if (!entry.empty()) out.emplace_back(entry);
    if (at == std::string_view::npos) break;
    start = at + 2;
  }
  return out;
}

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace

std::vector<MirrorEndpoint> parse_mirror_endpoints(std::string_view value,
                                                   std::string_view command) {
  constexpr std::string_view shape =
      "Endpoints as 7-field tuples system;volume;IP;system;volume;IP;A|S";
  std::vector<std::string> f = split_on(value, assumed::kEndpointSeparator);
  if (f.size() % assumed::kEndpointTupleFields != 0) throw_odd_output(command, shape, value);
  std::vector<MirrorEndpoint> endpoints;
  for (std::size_t i = 0; i < f.size(); i += assumed::kEndpointTupleFields) {
    MirrorEndpoint e{trim(f[i]),     trim(f[i + 1]), trim(f[i + 2]), trim(f[i + 3]),
                     trim(f[i + 4]), trim(f[i + 5]), trim(f[i + 6])};
    if (e.source.empty() || e.target.empty() || (e.mode != "A" && e.mode != "S"))
      throw_odd_output(command, shape, value);
    endpoints.push_back(e);
  }
  return endpoints;
}

std::vector<ListedJob> parse_job_info(std::string_view text) {
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
  std::vector<MirrorLine> mirrors;
  for (const std::string& line : split_lines(text)) {
    if (trim(line).empty()) continue;
    if (!is_clean_text(line))
      throw_odd_output("emcmd getmirrorvolinfo", assumed::kMirrorLineShape, line);
    std::optional<KeyValue> kv = split_key_value(line);
    if (kv && kv->key == assumed::kStatusKey && mirrors.empty() &&
        kv->value == std::to_string(assumed::kStatusNotMirrored))
      continue;  // E12: not mirrored
    mirrors.push_back(parse_mirror_line(line));
  }
  return mirrors;
}

std::vector<Job> parse_registry_jobs(std::string_view text) {
  const std::string jobs_key = std::string(assumed::kLongHiveName) +
                               upper_ascii(assumed::kJobsKey.substr(assumed::kJobsKey.find('\\')));
  std::vector<Job> jobs;
  bool in_job = false;
  for (const std::string& line : split_lines(text)) {
    if (trim(line).empty()) continue;
    if (!is_clean_text(line)) throw_odd_output(kRegCommand, kRegShape, line);
    if (line[0] != ' ') {
      std::string upper = upper_ascii(line);
      if (upper == jobs_key) {
        in_job = false;
        continue;
      }
      std::string id = line.size() > jobs_key.size() ? line.substr(jobs_key.size() + 1) : "";
      if (upper.rfind(jobs_key + "\\", 0) != 0 || !assumed::is_job_id(id))
        throw_odd_output(kRegCommand, std::string(kRegShape) + " (job keys named by GUIDs)", line);
      jobs.push_back(Job{id, "", "", {}});
      in_job = true;
      continue;
    }
    std::optional<RegValue> v = split_reg_value(line);
    if (!v || !in_job) throw_odd_output(kRegCommand, kRegShape, line);
    if (v->name == "Name") jobs.back().name = v->data;
    if (v->name == "Description") jobs.back().description = v->data;
    if (v->name == assumed::kEndpointsValue) {
      if (v->type != "REG_MULTI_SZ")
        throw_odd_output(kRegCommand, "Endpoints of type REG_MULTI_SZ (E6)", line);
      for (const std::string& entry : multi_string_entries(v->data))
        for (const auto& e : parse_mirror_endpoints(entry, kRegCommand))
          jobs.back().endpoints.push_back(e);
    }
  }
  for (const Job& j : jobs)
    if (j.endpoints.empty())
      throw_odd_output(kRegCommand, "an Endpoints value in every job key (E6)",
                       jobs_key + "\\" + j.id);
  return jobs;
}

}  // namespace lkr::tasks
