#include "tests/lab/node/cluster_window.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "tests/lab/node/text_util.h"

namespace lab {
namespace {

using nlohmann::json;

class ClusterLock {
 public:
  explicit ClusterLock(const std::string& cluster_dir) {
    std::string path = cluster_dir + "/cluster.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0)
      if (errno != EINTR) throw std::runtime_error("cannot lock " + path);
  }
  ~ClusterLock() { ::close(fd_); }
  ClusterLock(const ClusterLock&) = delete;
  ClusterLock& operator=(const ClusterLock&) = delete;

 private:
  int fd_ = -1;
};

json load_window(const std::string& cluster_dir) {
  std::string path = cluster_dir + "/window.json";
  if (!std::filesystem::exists(path)) return json{{"inside", json::object()}};
  json w = json::parse(read_file(path));
  if (!w.contains("inside")) w["inside"] = json::object();
  return w;
}

void save_window(const std::string& cluster_dir, const json& w) {
  write_file_atomically(cluster_dir + "/window.json", w.dump(1) + "\n");
}

void append_violation(const std::string& node_dir, const Violation& v) {
  NodeLock lock(node_dir);
  NodeState s = load_node(node_dir);
  s.violations.push_back(v);
  save_node(node_dir, s);
}

}  // namespace

void enter_cluster_window(const std::string& node_dir, const NodeState& self,
                          const std::string& command_line) {
  if (self.cluster_dir.empty()) return;  // a node outside any cluster (unit tests)
  std::filesystem::create_directories(self.cluster_dir);
  ClusterLock lock(self.cluster_dir);
  json w = load_window(self.cluster_dir);
  json& inside = w["inside"];
  if (inside.contains(self.system)) return;  // already inside: no new overlap starts now
  std::string now = iso_utc_now();
  for (auto& [other, entry] : inside.items()) {
    append_violation(node_dir, {now, "cluster_window_overlap", other, command_line});
    append_violation(entry.at("node_dir").get<std::string>(),
                     {now, "cluster_window_overlap", self.system, command_line});
  }
  inside[self.system] = {{"node_dir", node_dir}, {"since", now}, {"command_line", command_line}};
  save_window(self.cluster_dir, w);
}

void leave_cluster_window(const NodeState& self) {
  if (self.cluster_dir.empty() || !std::filesystem::exists(self.cluster_dir)) return;
  ClusterLock lock(self.cluster_dir);
  json w = load_window(self.cluster_dir);
  if (!w["inside"].contains(self.system)) return;
  w["inside"].erase(self.system);
  save_window(self.cluster_dir, w);
}

std::vector<std::string> systems_in_window(const std::string& cluster_dir) {
  ClusterLock lock(cluster_dir);
  std::vector<std::string> out;
  json w = load_window(cluster_dir);  // a named value: items() refers into it
  for (auto& [system, entry] : w["inside"].items()) out.push_back(system);
  return out;
}

}  // namespace lab
