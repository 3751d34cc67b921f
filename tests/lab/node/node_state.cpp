#include "tests/lab/node/node_state.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/lab/node/text_util.h"

namespace lab {

using nlohmann::json;

void to_json(json& j, const CommPath& v) {
  j = json{{"system", v.system},       {"othersystem", v.othersystem},
           {"localaddr", v.localaddr}, {"remoteaddr", v.remoteaddr},
           {"state", v.state},         {"priority", v.priority},
           {"type", v.type},           {"device", v.device}};
}
void from_json(const json& j, CommPath& v) {
  v = CommPath{};
  v.system = j.value("system", "");
  v.othersystem = j.value("othersystem", "");
  v.localaddr = j.value("localaddr", "");
  v.remoteaddr = j.value("remoteaddr", "");
  v.state = j.value("state", v.state);
  v.priority = j.value("priority", v.priority);
  v.type = j.value("type", v.type);
  v.device = j.value("device", v.device);
}

void to_json(json& j, const Resource& v) {
  j = json{{"tag", v.tag}, {"app", v.app}, {"type", v.type}, {"id", v.id}, {"state", v.state}};
}
void from_json(const json& j, Resource& v) {
  v = Resource{};
  v.tag = j.value("tag", "");
  v.app = j.value("app", "");
  v.type = j.value("type", "");
  v.id = j.value("id", "");
  v.state = j.value("state", v.state);
}

void to_json(json& j, const Equivalency& v) {
  j = json{{"sys", v.sys},
           {"tag", v.tag},
           {"othersys", v.othersys},
           {"othertag", v.othertag},
           {"type", v.type},
           {"priority", v.priority},
           {"otherpriority", v.otherpriority}};
}
void from_json(const json& j, Equivalency& v) {
  v = Equivalency{};
  v.sys = j.value("sys", "");
  v.tag = j.value("tag", "");
  v.othersys = j.value("othersys", "");
  v.othertag = j.value("othertag", "");
  v.type = j.value("type", v.type);
  v.priority = j.value("priority", v.priority);
  v.otherpriority = j.value("otherpriority", v.otherpriority);
}

void to_json(json& j, const Database& v) {
  j = json{{"systems", v.systems},
           {"comm_paths", v.comm_paths},
           {"resources", v.resources},
           {"equivalencies", v.equivalencies}};
}
void from_json(const json& j, Database& v) {
  v = Database{};
  v.systems = j.value("systems", std::vector<std::string>{});
  v.comm_paths = j.value("comm_paths", std::vector<CommPath>{});
  v.resources = j.value("resources", std::vector<Resource>{});
  v.equivalencies = j.value("equivalencies", std::vector<Equivalency>{});
}

void to_json(json& j, const RegistryJob& v) {
  j = json{
      {"id", v.id}, {"name", v.name}, {"description", v.description}, {"endpoints", v.endpoints}};
}
void from_json(const json& j, RegistryJob& v) {
  v = RegistryJob{};
  v.id = j.value("id", "");
  v.name = j.value("name", "");
  v.description = j.value("description", "");
  v.endpoints = j.value("endpoints", std::vector<std::string>{});
}

void to_json(json& j, const Mirror& v) {
  j = json{{"volume", v.volume},
           {"role", v.role},
           {"source", v.source},
           {"targets", v.targets},
           {"switchover", v.switchover},
           {"state", v.state},
           {"source_system", v.source_system},
           {"target_systems", v.target_systems},
           {"target_states", v.target_states}};
}
void from_json(const json& j, Mirror& v) {
  v = Mirror{};
  v.volume = j.value("volume", "");
  v.role = j.value("role", "");
  v.source = j.value("source", "");
  v.targets = j.value("targets", std::vector<std::string>{});
  v.switchover = j.value("switchover", false);
  v.state = j.value("state", v.state);
  v.source_system = j.value("source_system", "");
  v.target_systems = j.value("target_systems", std::vector<std::string>{});
  v.target_states = j.value("target_states", std::vector<int>{});
}

void to_json(json& j, const RecordFormats& v) {
  j = json{{"net_list_layout", v.net_list_layout},   {"empty_list_rc", v.empty_list_rc},
           {"mirror_info_none", v.mirror_info_none}, {"jobinfo_endpoints", v.jobinfo_endpoints},
           {"ins_list_fields", v.ins_list_fields},   {"volume_id", v.volume_id},
           {"certutil_digest", v.certutil_digest}};
}
void from_json(const json& j, RecordFormats& v) {
  v = RecordFormats{};
  v.net_list_layout = j.value("net_list_layout", v.net_list_layout);
  v.empty_list_rc = j.value("empty_list_rc", v.empty_list_rc);
  v.mirror_info_none = j.value("mirror_info_none", v.mirror_info_none);
  v.jobinfo_endpoints = j.value("jobinfo_endpoints", v.jobinfo_endpoints);
  v.ins_list_fields = j.value("ins_list_fields", v.ins_list_fields);
  v.volume_id = j.value("volume_id", v.volume_id);
  v.certutil_digest = j.value("certutil_digest", v.certutil_digest);
}

void to_json(json& j, const Fault& v) {
  j = json{{"command", v.command}, {"match", v.match},     {"kind", v.kind},
           {"rc", v.rc},           {"message", v.message}, {"delay_ms", v.delay_ms},
           {"apply", v.apply},     {"times", v.times},     {"skip", v.skip}};
  if (v.kind == "flood") {
    j["flood_bytes"] = v.flood_bytes;
    j["flood_line_bytes"] = v.flood_line_bytes;
  }
}
void from_json(const json& j, Fault& v) {
  v = Fault{};
  v.command = j.value("command", "*");
  v.match = j.value("match", "");
  v.kind = j.value("kind", "");
  v.rc = j.value("rc", v.rc);
  v.message = j.value("message", "");
  v.delay_ms = j.value("delay_ms", 0);
  v.apply = j.value("apply", true);
  v.times = j.value("times", -1);
  v.skip = j.value("skip", 0);
  v.flood_bytes = j.value("flood_bytes", 0LL);
  v.flood_line_bytes = j.value("flood_line_bytes", 0LL);
}

void to_json(json& j, const Violation& v) {
  j = json{
      {"time", v.time}, {"kind", v.kind}, {"other", v.other}, {"command_line", v.command_line}};
}
void from_json(const json& j, Violation& v) {
  v = Violation{};
  v.time = j.value("time", "");
  v.kind = j.value("kind", "");
  v.other = j.value("other", "");
  v.command_line = j.value("command_line", "");
}

void to_json(json& j, const NodeState& v) {
  j = json{{"system", v.system},
           {"cluster", v.cluster},
           {"cluster_dir", v.cluster_dir},
           {"address", v.address},
           {"port", v.port},
           {"codepage", v.codepage},
           {"lkroot", v.lkroot},
           {"extmirrbase", v.extmirrbase},
           {"default_shell", v.default_shell},
           {"reinstalled", v.reinstalled},
           {"latency_ms", v.latency_ms},
           {"env", v.env},
           {"on_disk", v.on_disk},
           {"in_memory", v.in_memory},
           {"registry_jobs", v.registry_jobs},
           {"mirrors", v.mirrors},
           {"dk_volumes", v.dk_volumes},
           {"formats", v.formats},
           {"faults", v.faults},
           {"violations", v.violations}};
}
void from_json(const json& j, NodeState& v) {
  v = NodeState{};
  v.system = j.value("system", "");
  v.cluster = j.value("cluster", "");
  v.cluster_dir = j.value("cluster_dir", "");
  v.address = j.value("address", "");
  v.port = j.value("port", v.port);
  v.codepage = j.value("codepage", v.codepage);
  v.lkroot = j.value("lkroot", v.lkroot);
  v.extmirrbase = j.value("extmirrbase", v.extmirrbase);
  v.default_shell = j.value("default_shell", v.default_shell);
  v.reinstalled = j.value("reinstalled", false);
  v.latency_ms = j.value("latency_ms", 0);
  v.env = j.value("env", std::map<std::string, std::string>{});
  v.on_disk = j.value("on_disk", Database{});
  v.in_memory = j.value("in_memory", Database{});
  v.registry_jobs = j.value("registry_jobs", std::vector<RegistryJob>{});
  v.mirrors = j.value("mirrors", std::vector<Mirror>{});
  v.dk_volumes = j.value("dk_volumes", std::vector<std::string>{});
  v.formats = j.value("formats", RecordFormats{});
  v.faults = j.value("faults", std::vector<Fault>{});
  v.violations = j.value("violations", std::vector<Violation>{});
}

NodeState load_node(const std::string& node_dir) {
  std::ifstream in(node_dir + "/node.json", std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + node_dir + "/node.json");
  std::stringstream buf;
  buf << in.rdbuf();
  return json::parse(buf.str()).get<NodeState>();
}

void save_node(const std::string& node_dir, const NodeState& s) {
  write_file_atomically(node_dir + "/node.json", json(s).dump(1) + "\n");
}

NodeLock::NodeLock(const std::string& node_dir) {
  std::string path = node_dir + "/node.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) {
      ::close(fd_);
      throw std::runtime_error("cannot lock " + path + ": " + std::strerror(errno));
    }
  }
}

NodeLock::~NodeLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

namespace {

// The entry of `dir` whose name equals `name` ignoring ASCII case, as NTFS looks names up.
std::string existing_spelling(const std::string& dir, const std::string& name) {
  if (std::filesystem::exists(dir + "/" + name)) return name;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return name;
  std::string found = name;
  while (dirent* e = ::readdir(d)) {
    if (iequals(e->d_name, name)) {
      found = e->d_name;
      break;
    }
  }
  ::closedir(d);
  return found;
}

}  // namespace

std::optional<std::string> host_path(const std::string& node_dir, const std::string& windows_path) {
  if (windows_path.size() < 2 || windows_path[1] != ':' ||
      (windows_path[0] != 'C' && windows_path[0] != 'c'))
    return std::nullopt;
  if (windows_path.size() > 2 && windows_path[2] != '\\' && windows_path[2] != '/')
    return std::nullopt;  // "C:relative" needs a current directory; callers resolve it first
  std::vector<std::string> parts;
  for (const auto& p : split_any(windows_path.substr(2), "\\/")) {
    if (p.empty() || p == ".") continue;
    if (p == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    if (p.find_first_of(":*?\"<>|") != std::string::npos) return std::nullopt;
    parts.push_back(p);
  }
  std::string path = node_dir + "/C";
  for (const auto& p : parts) path += "/" + existing_spelling(path, p);
  return path;
}

}  // namespace lab
