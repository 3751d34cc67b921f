#include "tests/lab/driver/initial_state.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace lab {
namespace {

// Priorities of a shared equivalency: 1 where the hierarchy is in service, 10 elsewhere.
int priority_of(const HierarchySpec& h, const std::string& system) {
  return system == h.in_service_on ? 1 : 10;
}

bool takes_part(const HierarchySpec& h, const std::string& system) {
  return h.in_service_on == system ||
         std::find(h.extended_to.begin(), h.extended_to.end(), system) != h.extended_to.end();
}

std::vector<std::string> participants(const HierarchySpec& h) {
  std::vector<std::string> all{h.in_service_on};
  all.insert(all.end(), h.extended_to.begin(), h.extended_to.end());
  return all;
}

// The first comm path from `from` to `to`, seen from `from`'s end.
const CommPathSpec* first_comm_path(const ClusterSpec& c, const std::string& a,
                                    const std::string& b, bool& swapped) {
  for (const auto& p : c.comm_paths) {
    if (p.system == a && p.othersystem == b) {
      swapped = false;
      return &p;
    }
    if (p.system == b && p.othersystem == a) {
      swapped = true;
      return &p;
    }
  }
  return nullptr;
}

std::vector<CommPath> comm_paths_of(const ClusterSpec& c, const std::string& self) {
  std::vector<CommPath> out;
  for (const auto& p : c.comm_paths) {
    if (p.system != self && p.othersystem != self) continue;
    CommPath cp;
    bool mine = p.system == self;
    cp.system = self;
    cp.othersystem = mine ? p.othersystem : p.system;
    cp.localaddr = mine ? p.localaddr : p.remoteaddr;
    cp.remoteaddr = mine ? p.remoteaddr : p.localaddr;
    cp.state = is_reinstalled(c, cp.othersystem) ? "DEAD" : "ALIVE";  // E5
    cp.device = p.device;  // both ends name the path by its device (E3)
    // Several paths to one system (several networks) get priorities 1, 2, ...
    cp.priority = p.priority
                      ? p.priority
                      : 1 + static_cast<int>(std::count_if(out.begin(), out.end(), [&](auto& o) {
                          return o.othersystem == cp.othersystem;
                        }));
    out.push_back(cp);
  }
  return out;
}

// One tuple "a;vol;IPa;b;vol;IPb;mode" for every pair of the hierarchy's nodes, in
// order S-T1, S-T2, ..., T1-T2, ... (E7: a job holds every node pair; E6 tuple layout),
// the addresses those of the pair's first comm path.
std::vector<std::string> derived_endpoints(const ClusterSpec& c, const HierarchySpec& h,
                                           const ResourceSpec& r) {
  std::vector<std::string> tuples;
  auto nodes = participants(h);
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (size_t k = i + 1; k < nodes.size(); ++k) {
      bool swapped = false;
      const CommPathSpec* p = first_comm_path(c, nodes[i], nodes[k], swapped);
      if (!p) throw std::logic_error("scenario check missed a mirror without comm path");
      std::string ip_i = swapped ? p->remoteaddr : p->localaddr;
      std::string ip_k = swapped ? p->localaddr : p->remoteaddr;
      tuples.push_back(nodes[i] + ";" + r.id + ";" + ip_i + ";" + nodes[k] + ";" + r.id + ";" +
                       ip_k + ";" + r.mirror->mode);
    }
  }
  return tuples;
}

std::vector<std::string> endpoints_of(const ClusterSpec& c, const HierarchySpec& h,
                                      const ResourceSpec& r) {
  return r.mirror->endpoints.empty() ? derived_endpoints(c, h, r) : r.mirror->endpoints;
}

std::vector<std::string> fields(const std::string& tuple) {
  std::vector<std::string> out(1);
  for (char ch : tuple) {
    if (ch == ';')
      out.emplace_back();
    else
      out.back() += ch;
  }
  return out;
}

// The source's end of one tuple naming the source S: (S's IP, other system, its IP).
struct SourceLink {
  std::string source_ip, other, other_ip;
};

std::vector<SourceLink> source_links(const std::vector<std::string>& tuples,
                                     const std::string& source) {
  std::vector<SourceLink> out;
  for (const auto& t : tuples) {
    auto f = fields(t);
    if (f[0] == source) out.push_back({f[2], f[3], f[5]});
    if (f[3] == source) out.push_back({f[5], f[0], f[2]});
  }
  return out;
}

// The local end of the mirror: S is the source toward every Ti, each Ti a target of S.
// A line toward a reinstalled (lost) node is broken (3, E11); others take the mirror's
// "state" (default 1, mirroring).
Mirror mirror_of(const ClusterSpec& c, const HierarchySpec& h, const ResourceSpec& r,
                 const std::string& self) {
  Mirror m;
  m.volume = r.id;
  m.source_system = h.in_service_on;
  auto state_toward = [&](const std::string& other) {
    return is_reinstalled(c, other) ? 3 : r.mirror->state;
  };
  auto links = source_links(endpoints_of(c, h, r), h.in_service_on);
  m.role = self == h.in_service_on ? "source" : "target";
  for (const auto& l : links) {
    if (m.role == "target" && l.other != self) continue;
    m.source = l.source_ip;
    m.targets.push_back(l.other_ip);
    m.target_systems.push_back(l.other);
    m.target_states.push_back(m.role == "source" ? state_toward(l.other) : state_toward(self));
  }
  m.state = m.role == "source" ? r.mirror->state : state_toward(h.in_service_on);
  for (int s : m.target_states)
    if (s == 3) m.state = 3;
  return m;
}

void add_hierarchy(const ClusterSpec& c, const HierarchySpec& h, NodeState& s) {
  const std::string& self = s.system;
  for (const auto& r : h.resources) {
    // E8's states: ISP where in service (or the scenario's "state"), OSU elsewhere.
    std::string state = r.state.empty() ? "ISP" : r.state;
    Resource res{r.tag, r.app, r.type, r.id, self == h.in_service_on ? state : "OSU"};
    s.in_memory.resources.push_back(res);
    for (const auto& other : participants(h)) {
      if (other == self) continue;
      s.in_memory.equivalencies.push_back(
          {self, r.tag, other, r.tag, "SHARED", priority_of(h, self), priority_of(h, other)});
    }
    if (!r.mirror) continue;
    s.registry_jobs.push_back(
        {r.mirror->job_id, r.mirror->job_name, r.mirror->description, endpoints_of(c, h, r)});
    s.mirrors.push_back(mirror_of(c, h, r, self));
    if (std::find(s.dk_volumes.begin(), s.dk_volumes.end(), r.id) == s.dk_volumes.end())
      s.dk_volumes.push_back(r.id);
  }
}

std::map<std::string, std::string> environment_of(const NodeSpec& n) {
  return {{"COMPUTERNAME", n.system},
          {"LKROOT", n.lkroot},
          {"LKBIN", n.lkroot + "\\Bin"},   // E3
          {"ExtMirrBase", n.extmirrbase},  // E9
          {"SystemRoot", "C:\\Windows"},
          {"windir", "C:\\Windows"},
          {"SystemDrive", "C:"},
          {"ComSpec", "C:\\Windows\\system32\\cmd.exe"},
          {"PATHEXT", ".COM;.EXE;.BAT;.CMD"},
          {"PATH", "C:\\Windows\\system32;C:\\Windows;" + n.lkroot + "\\Bin"}};
}

}  // namespace

NodeState initial_node_state(const ClusterSpec& cluster, const NodeSpec& node,
                             const std::string& cluster_dir) {
  NodeState s;
  s.system = node.system;
  s.cluster = cluster.name;
  s.cluster_dir = cluster_dir;
  s.address = node.address;
  s.port = node.port;
  s.codepage = node.codepage;
  s.lkroot = node.lkroot;
  s.extmirrbase = node.extmirrbase;
  s.default_shell = node.default_shell;
  s.reinstalled = node.reinstalled;
  s.latency_ms = node.latency_ms;
  s.env = environment_of(node);
  s.formats = cluster.formats;
  for (const auto& f : cluster.faults)
    if (f.node == node.system) s.faults.push_back(f.fault);
  if (node.reinstalled) {
    s.in_memory.systems = {node.system};
  } else {
    for (const auto& n : cluster.nodes) s.in_memory.systems.push_back(n.system);
    s.in_memory.comm_paths = comm_paths_of(cluster, node.system);
    for (const auto& h : cluster.hierarchies)
      if (takes_part(h, node.system)) add_hierarchy(cluster, h, s);
  }
  s.on_disk = s.in_memory;
  return s;
}

std::string drive_c_path(const std::string& node_dir, const std::string& windows_path) {
  std::string rel = windows_path.size() > 3 ? windows_path.substr(3) : "";
  std::replace(rel.begin(), rel.end(), '\\', '/');
  return node_dir + "/C/" + rel;
}

void write_lkdrinfo_files(const std::string& node_dir, const NodeState& state) {
  if (state.mirrors.empty()) return;
  std::string folder =
      drive_c_path(node_dir, state.lkroot + "\\subsys\\filesys\\resources\\volume");
  std::filesystem::create_directories(folder);
  std::tm when{};
  when.tm_year = 2012 - 1900;
  when.tm_mon = 4;
  when.tm_mday = 23;
  when.tm_hour = 13;
  when.tm_min = 2;
  when.tm_isdst = -1;
  std::time_t t = std::mktime(&when);
  for (const auto& m : state.mirrors) {
    std::string path = folder + "/LKDRInfo." + m.volume;
    // 39 bytes, the size the runbook's `dir` shows; the content is not documented.
    std::string content = "LKDRInfo " + m.volume + " " + m.source;
    content.resize(37, ' ');
    content += "\r\n";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    struct timespec times[2] = {{t, 0}, {t, 0}};
    if (utimensat(AT_FDCWD, path.c_str(), times, 0) != 0)
      throw std::runtime_error("cannot set the date of " + path);
  }
}

}  // namespace lab
