#include "tests/lab/node/node_ops.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/lab/node/cluster_window.h"
#include "tests/lab/node/installed_programs.h"
#include "tests/lab/node/text_util.h"

namespace lab {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<std::string> drive_c_files(const std::string& node_dir) {
  std::vector<std::string> out;
  fs::path root = fs::path(node_dir) / "C";
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), root).string();
    std::replace(rel.begin(), rel.end(), '/', '\\');
    out.push_back("C:\\" + rel);
  }
  std::sort(out.begin(), out.end());
  return out;
}

json journal_entries(const std::string& node_dir) {
  json out = json::array();
  std::ifstream in(node_dir + "/journal.jsonl", std::ios::binary);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

}  // namespace

json dump_node(const std::string& node_dir) {
  NodeLock lock(node_dir);
  NodeState s = load_node(node_dir);
  return json{{"system", s.system},
              {"on_disk", s.on_disk},
              {"in_memory", s.in_memory},
              {"registry_jobs", s.registry_jobs},
              {"mirrors", s.mirrors},
              {"files", drive_c_files(node_dir)},
              {"journal", journal_entries(node_dir)},
              {"violations", s.violations},
              {"dk_volumes", s.dk_volumes},
              {"formats", s.formats},
              {"faults", s.faults},
              {"latency_ms", s.latency_ms}};
}

void restart_node(const std::string& node_dir) {
  NodeState s;
  {
    NodeLock lock(node_dir);
    s = load_node(node_dir);
    s.in_memory = s.on_disk;
    save_node(node_dir, s);
  }
  leave_cluster_window(s);  // never under the node lock: see cluster_window.h
}

void arm_fault(const std::string& node_dir, const Fault& f) {
  NodeLock lock(node_dir);
  NodeState s = load_node(node_dir);
  s.faults.push_back(f);
  save_node(node_dir, s);
}

void clear_faults(const std::string& node_dir) {
  NodeLock lock(node_dir);
  NodeState s = load_node(node_dir);
  s.faults.clear();
  save_node(node_dir, s);
}

void set_latency(const std::string& node_dir, int ms) {
  NodeLock lock(node_dir);
  NodeState s = load_node(node_dir);
  s.latency_ms = ms;
  save_node(node_dir, s);
}

void create_node(const std::string& node_dir, const NodeState& initial) {
  fs::create_directories(node_dir + "/C");
  for (const auto& folder : standard_folders(initial)) {
    auto host = host_path(node_dir, folder);
    if (host) fs::create_directories(*host);
  }
  NodeLock lock(node_dir);
  save_node(node_dir, initial);
  std::ofstream(node_dir + "/journal.jsonl", std::ios::trunc);  // a new node has run nothing
}

}  // namespace lab
