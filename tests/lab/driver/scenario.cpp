#include "tests/lab/driver/scenario.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tests/lab/driver/json_reader.h"

namespace lab {
namespace {

bool parse_octet(const std::string& s, int& out) {
  if (s.empty() || s.size() > 3 || !std::all_of(s.begin(), s.end(), ::isdigit)) return false;
  out = std::stoi(s);
  return out <= 255;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  return parts;
}

bool is_ipv4(const std::string& s) {
  auto parts = split(s, '.');
  int octet = 0;
  return parts.size() == 4 &&
         std::all_of(parts.begin(), parts.end(), [&](auto& p) { return parse_octet(p, octet); });
}

bool is_loopback(const std::string& s) { return is_ipv4(s) && s.starts_with("127."); }

void read_address(const JsonReader& r, NodeSpec& node) {
  std::string text = r.string();
  auto colon = text.find(':');
  node.address = text.substr(0, colon);
  if (!is_loopback(node.address)) r.fail("expected a 127.x.y.z address, got \"" + text + "\"");
  if (colon == std::string::npos) return;
  std::string port = text.substr(colon + 1);
  bool digits =
      !port.empty() && port.size() <= 5 && std::all_of(port.begin(), port.end(), ::isdigit);
  if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535)
    r.fail("expected a port from 1 to 65535 after ':', got \"" + text + "\"");
  node.port = std::stoi(port);
}

std::string one_of(const JsonReader& r, std::initializer_list<const char*> allowed) {
  std::string v = r.string();
  std::string list;
  for (const char* a : allowed) {
    if (v == a) return v;
    list += std::string(list.empty() ? "" : ", ") + "\"" + a + "\"";
  }
  r.fail("expected one of " + list + ", got \"" + v + "\"");
}

NodeSpec read_node(const JsonReader& r) {
  r.expect_object({"system", "address", "codepage", "lkroot", "extmirrbase", "reinstalled",
                   "default_shell", "transport", "winrm_auth", "winrm_scheme", "winrm_cbt",
                   "latency_ms", "ssh_password"});
  NodeSpec n;
  n.system = r.required("system").non_empty_string();
  read_address(r.required("address"), n);
  if (auto v = r.optional("codepage")) {
    n.codepage = v->integer(1, 65535);
    // The code pages the node's console encoder knows (tests/lab/node/codepage.h); this
    // library links no node code, so the list is repeated here.
    if (n.codepage != 437 && n.codepage != 850 && n.codepage != 932 && n.codepage != 1252 &&
        n.codepage != 65001)
      v->fail("expected code page 437, 850, 932, 1252 or 65001");
  }
  if (auto v = r.optional("lkroot")) n.lkroot = v->non_empty_string();
  if (auto v = r.optional("extmirrbase")) n.extmirrbase = v->non_empty_string();
  for (auto* field : {&n.lkroot, &n.extmirrbase}) {
    if (!(field->size() >= 3 && (field->starts_with("C:\\") || field->starts_with("c:\\"))))
      r.required(field == &n.lkroot ? "lkroot" : "extmirrbase").fail("expected a folder on C:\\");
  }
  if (auto v = r.optional("reinstalled")) {
    n.reinstalled = v->boolean();
    n.reinstalled_given = true;
  }
  if (auto v = r.optional("default_shell")) n.default_shell = one_of(*v, {"cmd", "powershell"});
  if (auto v = r.optional("transport")) n.transport = one_of(*v, {"ssh", "winrm"});
  if (auto v = r.optional("winrm_auth"))
    n.winrm_auth = one_of(*v, {"basic", "ntlm", "kerberos", "certificate"});
  if (auto v = r.optional("winrm_scheme")) n.winrm_scheme = one_of(*v, {"http", "https"});
  if (auto v = r.optional("winrm_cbt")) n.winrm_cbt = one_of(*v, {"strict", "relaxed", "none"});
  if (auto v = r.optional("latency_ms")) n.latency_ms = v->integer(0, 600000);
  if (auto v = r.optional("ssh_password")) {
    n.ssh_password = v->non_empty_string();
    if (n.ssh_password.find_first_of(std::string("\0\n:", 3)) != std::string::npos)
      v->fail("a password for /etc/shadow cannot hold NUL, newline or ':'");
  }
  return n;
}

CommPathSpec read_comm_path(const JsonReader& r) {
  r.expect_object({"system", "othersystem", "localaddr", "remoteaddr", "device", "priority"});
  CommPathSpec c;
  c.system = r.required("system").non_empty_string();
  c.othersystem = r.required("othersystem").non_empty_string();
  for (auto [key, field] : {std::pair{"localaddr", &c.localaddr}, {"remoteaddr", &c.remoteaddr}}) {
    JsonReader a = r.required(key);
    *field = a.string();
    if (!is_ipv4(*field)) a.fail("expected an IPv4 address, got \"" + *field + "\"");
  }
  if (auto v = r.optional("device")) c.device = v->non_empty_string();
  if (auto v = r.optional("priority")) c.priority = v->integer(1, 99);
  return c;
}

MirrorSpec read_mirror(const JsonReader& r) {
  r.expect_object({"job_id", "job_name", "mode", "description", "endpoints", "state"});
  MirrorSpec m;
  m.job_id = r.required("job_id").non_empty_string();
  m.job_name = r.required("job_name").string();
  if (auto v = r.optional("mode")) m.mode = one_of(*v, {"A", "S"});
  if (auto v = r.optional("description")) m.description = v->string();
  if (auto v = r.optional("state")) m.state = v->integer(0, 5);  // E11's states
  if (auto v = r.optional("endpoints")) {
    for (const auto& e : v->array()) {
      std::string tuple = e.string();
      if (split(tuple, ';').size() != 7)
        e.fail("expected source;volume;sourceIP;target;volume;targetIP;type");
      m.endpoints.push_back(tuple);
    }
  }
  return m;
}

ResourceSpec read_resource(const JsonReader& r) {
  r.expect_object({"tag", "app", "type", "id", "mirror", "state"});
  ResourceSpec res;
  res.tag = r.required("tag").non_empty_string();
  res.app = r.required("app").non_empty_string();
  res.type = r.required("type").non_empty_string();
  res.id = r.required("id").non_empty_string();
  if (auto m = r.optional("mirror")) res.mirror = read_mirror(*m);
  if (auto v = r.optional("state")) res.state = one_of(*v, {"ISP", "ISU", "OSU", "OSF"});
  return res;
}

HierarchySpec read_hierarchy(const JsonReader& r) {
  r.expect_object({"in_service_on", "extended_to", "resources"});
  HierarchySpec h;
  h.in_service_on = r.required("in_service_on").non_empty_string();
  for (const auto& e : r.required("extended_to").array())
    h.extended_to.push_back(e.non_empty_string());
  for (const auto& e : r.required("resources").array()) h.resources.push_back(read_resource(e));
  return h;
}

FaultSpec read_fault(const JsonReader& r) {
  r.expect_object({"node", "command", "fail", "times", "delay_ms", "hang", "garbage", "drop",
                   "match", "apply", "flood"});
  FaultSpec f;
  f.node = r.required("node").non_empty_string();
  f.fault.command = r.optional("command") ? r.required("command").non_empty_string() : "*";
  if (auto v = r.optional("match")) f.fault.match = v->string();
  if (auto v = r.optional("times")) f.fault.times = v->integer(-1, 1000000);
  if (auto v = r.optional("apply")) f.fault.apply = v->boolean();
  int kinds = 0;
  if (auto v = r.optional("fail")) {
    v->expect_object({"rc", "message"});
    f.fault.kind = "fail";
    f.fault.rc = v->required("rc").integer(0, 255);
    if (auto m = v->optional("message")) f.fault.message = m->string();
    ++kinds;
  }
  if (auto v = r.optional("delay_ms")) {
    f.fault.kind = "delay";
    f.fault.delay_ms = v->integer(0, 3600000);
    ++kinds;
  }
  for (const char* flag : {"hang", "garbage", "drop"}) {
    if (auto v = r.optional(flag)) {
      if (!v->boolean()) v->fail("only true is meaningful here; leave the field out instead");
      f.fault.kind = flag;
      ++kinds;
    }
  }
  if (auto v = r.optional("flood")) {
    v->expect_object({"bytes", "line_bytes"});
    f.fault.kind = "flood";
    f.fault.flood_bytes = v->required("bytes").integer(0, 1 << 30);
    if (auto l = v->optional("line_bytes")) f.fault.flood_line_bytes = l->integer(3, 1 << 30);
    ++kinds;
  }
  if (kinds != 1)
    r.fail(
        "expected exactly one of \"fail\", \"delay_ms\", \"hang\", \"garbage\", \"drop\", "
        "\"flood\"");
  return f;
}

// Checks that need the whole cluster: every name refers to a node of the cluster.
class ClusterChecker {
 public:
  ClusterChecker(const ClusterSpec& c, const JsonReader& r) : c_(c), r_(r) {}

  void check() const {
    check_nodes();
    check_comm_paths();
    check_hierarchies();
    for (size_t i = 0; i < c_.faults.size(); ++i)
      require_node(c_.faults[i].node, at("faults", i).required("node"));
  }

 private:
  JsonReader at(const char* key, size_t i) const { return r_.required(key).array()[i]; }

  void require_node(const std::string& system, const JsonReader& where) const {
    if (!find_node(c_, system))
      where.fail("\"" + system + "\" is not a node of cluster \"" + c_.name + "\"");
  }

  void check_nodes() const {
    std::set<std::string> seen;
    for (size_t i = 0; i < c_.nodes.size(); ++i) {
      if (!seen.insert(c_.nodes[i].system).second)
        at("nodes", i).required("system").fail("duplicate system \"" + c_.nodes[i].system + "\"");
    }
    if (!c_.replaced.empty()) require_node(c_.replaced, r_.required("replaced"));
    for (size_t i = 0; i < c_.nodes.size(); ++i) {
      if (c_.nodes[i].reinstalled && c_.nodes[i].system != c_.replaced)
        at("nodes", i)
            .required("reinstalled")
            .fail("only the \"replaced\" node can be reinstalled");
    }
  }

  void check_comm_paths() const {
    for (size_t i = 0; i < c_.comm_paths.size(); ++i) {
      const auto& p = c_.comm_paths[i];
      JsonReader r = at("comm_paths", i);
      require_node(p.system, r.required("system"));
      require_node(p.othersystem, r.required("othersystem"));
      if (p.system == p.othersystem)
        r.required("othersystem").fail("a comm path joins two systems");
    }
  }

  bool has_comm_path(const std::string& a, const std::string& b) const {
    return std::any_of(c_.comm_paths.begin(), c_.comm_paths.end(), [&](const CommPathSpec& p) {
      return (p.system == a && p.othersystem == b) || (p.system == b && p.othersystem == a);
    });
  }

  void check_hierarchies() const {
    std::set<std::string> tags;
    for (size_t i = 0; i < c_.hierarchies.size(); ++i) {
      const auto& h = c_.hierarchies[i];
      JsonReader r = at("hierarchies", i);
      require_node(h.in_service_on, r.required("in_service_on"));
      if (is_reinstalled(c_, h.in_service_on))
        r.required("in_service_on").fail("the reinstalled node holds no hierarchy");
      std::set<std::string> extended;
      for (size_t j = 0; j < h.extended_to.size(); ++j) {
        JsonReader e = r.required("extended_to").array()[j];
        require_node(h.extended_to[j], e);
        if (h.extended_to[j] == h.in_service_on || !extended.insert(h.extended_to[j]).second)
          e.fail("\"" + h.extended_to[j] + "\" is listed twice in the hierarchy");
      }
      for (size_t j = 0; j < h.resources.size(); ++j) {
        JsonReader res = r.required("resources").array()[j];
        if (!tags.insert(h.resources[j].tag).second)
          res.required("tag").fail("duplicate tag \"" + h.resources[j].tag + "\" in the cluster");
        check_mirror(h, h.resources[j], res);
      }
    }
  }

  // Derived endpoints hold a tuple for every pair of the hierarchy's nodes (E7).
  void check_mirror(const HierarchySpec& h, const ResourceSpec& res, const JsonReader& r) const {
    if (!res.mirror || !res.mirror->endpoints.empty()) return;
    std::vector<std::string> nodes{h.in_service_on};
    nodes.insert(nodes.end(), h.extended_to.begin(), h.extended_to.end());
    for (size_t i = 0; i < nodes.size(); ++i) {
      for (size_t j = i + 1; j < nodes.size(); ++j) {
        if (!has_comm_path(nodes[i], nodes[j]))
          r.required("mirror").fail("no comm path between \"" + nodes[i] + "\" and \"" + nodes[j] +
                                    "\" to derive the mirror endpoints from");
      }
    }
  }

  const ClusterSpec& c_;
  const JsonReader& r_;
};

// Devices of comm paths that do not give one: the lowest TCPIP:1500, 1510, ... not yet
// used between the same pair (E3: TCPIP:1500, TCPIP:1510 for a second path). Two paths
// of one pair on one device is a scenario error.
void assign_devices(ClusterSpec& c, const JsonReader& r) {
  auto pair_of = [](const CommPathSpec& p) { return std::minmax(p.system, p.othersystem); };
  std::map<std::pair<std::string, std::string>, std::map<std::string, size_t>> used;
  for (size_t i = 0; i < c.comm_paths.size(); ++i) {
    const auto& p = c.comm_paths[i];
    if (p.device.empty()) continue;
    auto [it, inserted] = used[pair_of(p)].emplace(p.device, i);
    if (!inserted)
      r.required("comm_paths")
          .array()[i]
          .required("device")
          .fail("device \"" + p.device + "\" is already used between these systems by comm_paths[" +
                std::to_string(it->second) + "]");
  }
  for (size_t i = 0; i < c.comm_paths.size(); ++i) {
    auto& p = c.comm_paths[i];
    if (!p.device.empty()) continue;
    auto& devices = used[pair_of(p)];
    for (int port = 1500; p.device.empty(); port += 10)
      if (!devices.count("TCPIP:" + std::to_string(port)))
        p.device = "TCPIP:" + std::to_string(port);
    devices.emplace(p.device, i);
  }
}

// The cluster's answers where the public record is silent (docs/record-formats.md).
RecordFormats read_formats(const JsonReader& r) {
  RecordFormats f;
  if (auto v = r.optional("net_list_layout"))
    f.net_list_layout = one_of(*v, {"other_first", "local_first", "status"});
  if (auto v = r.optional("empty_list_rc")) {
    f.empty_list_rc = v->integer(0, 7);
    if (f.empty_list_rc != 0 && f.empty_list_rc != 7) v->fail("expected 7 or 0");
  }
  if (auto v = r.optional("mirror_info_none"))
    f.mirror_info_none = one_of(*v, {"status15", "empty"});
  if (auto v = r.optional("jobinfo_endpoints"))
    f.jobinfo_endpoints = one_of(*v, {"line_per_tuple", "one_line"});
  if (auto v = r.optional("ins_list_fields")) f.ins_list_fields = one_of(*v, {"extended", "seven"});
  if (auto v = r.optional("volume_id")) f.volume_id = one_of(*v, {"colon", "letter"});
  if (auto v = r.optional("certutil_digest")) f.certutil_digest = one_of(*v, {"spaced", "plain"});
  return f;
}

ClusterSpec read_cluster(const JsonReader& r) {
  r.expect_object({"name", "replaced", "nodes", "comm_paths", "hierarchies", "faults",
                   "net_list_layout", "empty_list_rc", "mirror_info_none", "jobinfo_endpoints",
                   "ins_list_fields", "volume_id", "certutil_digest"});
  ClusterSpec c;
  c.name = r.required("name").non_empty_string();
  if (auto v = r.optional("replaced")) c.replaced = v->non_empty_string();
  auto nodes = r.required("nodes").array();
  if (nodes.empty()) r.required("nodes").fail("a cluster needs at least one node");
  for (const auto& n : nodes) c.nodes.push_back(read_node(n));
  // The replaced node is reinstalled unless it says "reinstalled": false (LAB.md).
  for (auto& n : c.nodes)
    if (n.system == c.replaced && !n.reinstalled_given) n.reinstalled = true;
  if (auto v = r.optional("comm_paths"))
    for (const auto& e : v->array()) c.comm_paths.push_back(read_comm_path(e));
  assign_devices(c, r);
  c.formats = read_formats(r);
  if (auto v = r.optional("hierarchies"))
    for (const auto& e : v->array()) c.hierarchies.push_back(read_hierarchy(e));
  if (auto v = r.optional("faults"))
    for (const auto& e : v->array()) c.faults.push_back(read_fault(e));
  ClusterChecker(c, r).check();
  return c;
}

std::string endpoint_key(const NodeSpec& n) { return n.address + ":" + std::to_string(n.port); }

// Two nodes on one address and port cannot both listen.
void check_unique_addresses(const Scenario& s, const std::string& where_label) {
  std::map<std::string, std::string> owner;
  for (size_t ci = 0; ci < s.clusters.size(); ++ci) {
    for (size_t ni = 0; ni < s.clusters[ci].nodes.size(); ++ni) {
      const auto& n = s.clusters[ci].nodes[ni];
      std::string path = "$.clusters[" + std::to_string(ci) + "].nodes[" + std::to_string(ni) + "]";
      auto [it, inserted] = owner.emplace(endpoint_key(n), path);
      if (!inserted)
        throw ScenarioError(where_label + ": " + path + ".address: address " + n.address +
                            (n.port ? ":" + std::to_string(n.port) : "") + " is already used by " +
                            it->second);
    }
  }
}

}  // namespace

bool is_reinstalled(const ClusterSpec& cluster, const std::string& system) {
  const NodeSpec* n = find_node(cluster, system);
  return n && n->reinstalled;
}

const NodeSpec* find_node(const ClusterSpec& cluster, const std::string& system) {
  for (const auto& n : cluster.nodes)
    if (n.system == system) return &n;
  return nullptr;
}

Scenario parse_scenario(const std::string& json_text, const std::string& file_label) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    throw ScenarioError(file_label + ": $: not valid JSON (byte " + std::to_string(e.byte) + ")");
  }
  JsonReader root(doc, "$", file_label);
  root.expect_object({"clusters", "kerberos_realm", "rtt_ms"});
  Scenario s;
  if (auto v = root.optional("kerberos_realm")) {
    s.kerberos_realm = v->non_empty_string();
    bool realm_chars = std::all_of(s.kerberos_realm.begin(), s.kerberos_realm.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    });
    if (!realm_chars || s.kerberos_realm.size() > 64)
      v->fail("expected a realm of upper-case letters, digits, '.' and '-' (e.g. \"LAB.TEST\")");
  }
  if (auto v = root.optional("rtt_ms")) s.rtt_ms = v->integer(0, kMaxRttMs);
  auto clusters = root.required("clusters").array();
  if (clusters.empty()) root.required("clusters").fail("a scenario needs at least one cluster");
  std::set<std::string> names;
  for (const auto& c : clusters) {
    s.clusters.push_back(read_cluster(c));
    if (!names.insert(s.clusters.back().name).second)
      c.required("name").fail("duplicate cluster name \"" + s.clusters.back().name + "\"");
  }
  check_unique_addresses(s, file_label);
  return s;
}

Scenario load_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  return parse_scenario(text.str(), path);
}

void apply_subnet(Scenario& s, const std::string& subnet) {
  auto parts = split(subnet, '.');
  int octet = 0;
  if (parts.size() != 2 || parts[0] != "127" || !parse_octet(parts[1], octet))
    throw ScenarioError("--subnet " + subnet + ": expected 127.N with N from 0 to 255");
  for (auto& c : s.clusters) {
    for (auto& n : c.nodes) {
      auto octets = split(n.address, '.');
      n.address = subnet + "." + octets[2] + "." + octets[3];
    }
  }
  check_unique_addresses(s, "--subnet " + subnet);
}

}  // namespace lab
