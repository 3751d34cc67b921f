// The scenario file of LAB.md ("Scenario file (JSON)"), parsed and checked.
//
// Errors name the file and the JSON path of the problem, e.g.
//   seed.json: $.clusters[0].nodes[1].address: expected a 127.x.y.z address
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/lab/node/node_state.h"

namespace lab {

class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct MirrorSpec {
  std::string job_id, job_name, mode = "A", description;
  // Explicit 7-field tuples; empty = derived: one per pair of the hierarchy's nodes (E7).
  std::vector<std::string> endpoints;
  int state = 1;  // "state": the mirror's state (E11) between live nodes; toward a lost one 3
};

struct ResourceSpec {
  std::string tag, app, type, id;
  std::optional<MirrorSpec> mirror;
  std::string state;  // "state": ISP ISU OSU OSF on the in-service node; empty = ISP (E8)
};

struct HierarchySpec {
  std::string in_service_on;
  std::vector<std::string> extended_to;
  std::vector<ResourceSpec> resources;
};

struct CommPathSpec {
  std::string system, othersystem, localaddr, remoteaddr;
  // "device" (E3): given, or TCPIP:1500, TCPIP:1510, ... in order among one pair's paths.
  std::string device;
  int priority = 0;  // "priority"; 0: 1, 2, ... in order among one system's paths to another
};

struct NodeSpec {
  std::string system;
  std::string address;  // "127.10.0.1" (port split off)
  int port = 0;         // 0: not given by the scenario
  int codepage = 437;
  std::string lkroot = "C:\\LK";
  std::string extmirrbase = "C:\\Program Files\\SIOS\\DataKeeper";
  // The replaced node is reinstalled unless its entry says "reinstalled": false (LAB.md).
  bool reinstalled = false;
  bool reinstalled_given = false;  // the entry says "reinstalled"
  std::string default_shell = "cmd";
  std::string transport = "ssh";
  std::string winrm_auth = "ntlm";
  std::string winrm_scheme = "http";
  // "winrm_cbt": how the endpoint's HTTPS checks NTLM's and Kerberos' channel binding,
  // Windows' CbtHardeningLevel: "strict" (the least convenient), "relaxed" or "none".
  std::string winrm_cbt = "strict";
  int latency_ms = 0;
  // Non-empty: the node's sshd takes this password (and no key) for the lab user; needs
  // `lab up` as root (sshd sees its own /etc/shadow in a private mount namespace).
  std::string ssh_password;
};

struct FaultSpec {
  std::string node;
  Fault fault;
};

struct ClusterSpec {
  std::string name;
  std::string replaced;  // empty: no node of this cluster was reinstalled
  std::vector<NodeSpec> nodes;
  std::vector<CommPathSpec> comm_paths;
  std::vector<HierarchySpec> hierarchies;
  std::vector<FaultSpec> faults;
  // Cluster fields "net_list_layout", "empty_list_rc", "mirror_info_none",
  // "jobinfo_endpoints", "ins_list_fields", "volume_id", "certutil_digest"
  // (docs/record-formats.md).
  RecordFormats formats;
};

// The largest "rtt_ms" (and `lab up --rtt-ms`): a minute, far beyond any WAN.
constexpr int kMaxRttMs = 60000;

struct Scenario {
  std::vector<ClusterSpec> clusters;
  // Optional top-level "kerberos_realm": the realm of the KDC `lab up` starts when a node
  // says "winrm_auth": "kerberos" (upper-case letters, digits, '.', '-').
  std::string kerberos_realm = "LAB.TEST";
  // Optional top-level "rtt_ms": the network round trip to every node, in ms. Above 0,
  // `lab up` puts its delay proxy in front of every node (each direction delayed by
  // half of it); `lab up --rtt-ms` overrides it.
  int rtt_ms = 0;
};

// `file_label` prefixes every error (the path as the user gave it).
Scenario parse_scenario(const std::string& json_text, const std::string& file_label);
Scenario load_scenario(const std::string& path);

// "127.42": replaces the first two octets of every node address. Throws ScenarioError
// when the subnet is not of the form 127.N or when two nodes end up on one address.
void apply_subnet(Scenario& s, const std::string& subnet);

// Whether `system` is a node of `cluster` holding a fresh install.
bool is_reinstalled(const ClusterSpec& cluster, const std::string& system);

// The node of `cluster` named `system`, or nullptr.
const NodeSpec* find_node(const ClusterSpec& cluster, const std::string& system);

}  // namespace lab
