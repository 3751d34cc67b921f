// The persistent state of one simulated LifeKeeper for Windows node.
//
// One node lives in one folder (its "node dir"):
//   node.json      this struct, rewritten atomically under node.lock (flock)
//   journal.jsonl  one JSON line per command run (appended under node.lock)
//   C/             the node's drive C: (real files, e.g. C/LK/subsys/.../LKDRInfo.E)
//   sshd_config, host keys, pid files (the driver's business)
// The cluster's shared state (the sys_remove..lcdsync window) lives in the cluster
// dir, see cluster_window.h.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace lab {

// Field names follow LAB.md's dump format exactly.
struct CommPath {
  std::string system, othersystem, localaddr, remoteaddr;
  std::string state = "ALIVE";  // DEAD when the other end is the lost node (E5)
  int priority = 1;
  std::string type = "TCP";
  std::string device = "TCPIP:1500";  // net_create -D (E3); a second path: TCPIP:1510
  bool operator==(const CommPath&) const = default;
};

struct Resource {
  std::string tag, app, type, id;  // id as the scenario gives it: a volume's is "E"
  std::string state = "ISP";       // ISP ISU OSU OSF (E8); ISP in service, OSU elsewhere
  bool operator==(const Resource&) const = default;
};

struct Equivalency {
  std::string sys, tag, othersys, othertag;
  std::string type = "SHARED";
  int priority = 1, otherpriority = 10;
  bool operator==(const Equivalency&) const = default;
};

// One LifeKeeper configuration database (the in-memory copy or the on-disk copy).
struct Database {
  std::vector<std::string> systems;
  std::vector<CommPath> comm_paths;
  std::vector<Resource> resources;
  std::vector<Equivalency> equivalencies;
  bool operator==(const Database&) const = default;
};

// A DataKeeper job as held under
// HKLM\System\CurrentControlSet\Services\ExtMirr\Parameters\Jobs\<id>.
struct RegistryJob {
  std::string id, name, description;
  // The REG_MULTI_SZ value Endpoints (E6): one 7-field tuple
  // "system;volume;IP;system;volume;IP;type" per pair of the job's nodes (E7).
  std::vector<std::string> endpoints;
};

// The local end of a DataKeeper mirror. A source has one line per target; a target one
// line toward its source (`getmirrorvolinfo`, E10).
struct Mirror {
  std::string volume;                // drive letter, "E"
  std::string role;                  // "source" | "target"
  std::string source;                // source IP
  std::vector<std::string> targets;  // target IPs (on a target: its own IP)
  bool switchover = false;
  int state = 1;              // the worst of target_states (E11: 1 mirroring, 3 broken, ...)
  std::string source_system;  // the source's system name
  std::vector<std::string> target_systems;  // parallel to targets
  std::vector<int> target_states;           // parallel to targets (E11)
};

// The variants of the public record's formats a cluster's nodes speak where the record
// is silent (docs/record-formats.md; each default the least convenient one).
struct RecordFormats {
  std::string net_list_layout = "other_first";       // | "local_first" | "status"
  int empty_list_rc = 7;                             // | 0: a list command that prints nothing
  std::string mirror_info_none = "status15";         // | "empty": getmirrorvolinfo, no mirror
  std::string jobinfo_endpoints = "line_per_tuple";  // | "one_line"
  std::string ins_list_fields = "extended";          // | "seven"
  std::string volume_id = "colon";                   // | "letter": "E:" or "E"
  // certutil -hashfile's digest line: "spaced" (older Windows: "ab 71 0a ...") | "plain".
  std::string certutil_digest = "spaced";
  bool operator==(const RecordFormats&) const = default;
};

// A fault armed on this node (from the scenario or `lab fault`). Two kinds more are armed
// only through arm_fault() (node_ops.h), by tests: "tamper", where just before the
// command runs one byte of the first file its arguments name is changed on the node
// (someone altering a file between two commands that read it), and "corrupt", where the
// command runs and its output reaches the client with one letter's case flipped (text
// altered in flight, still well formed).
struct Fault {
  std::string command;  // argv[0] base name without .exe, case-insensitive; "*" = every command
  std::string match;    // optional: substring the raw command line must contain
  std::string kind;     // "fail" | "delay" | "hang" | "garbage" | "drop" | "flood" | ...
  int rc = 1;           // fail
  std::string message;  // fail: printed on stderr
  int delay_ms = 0;     // delay
  bool apply = true;    // drop/garbage: whether the command's effect happens first
  int times = -1;       // how many more times it fires; -1 = always
  int skip = 0;         // matching commands let through unharmed before it starts firing
  long long flood_bytes = 0;       // flood: bytes of filler printed before the real output
  long long flood_line_bytes = 0;  // flood: length of each filler line (0: 1 MiB)
};

// A rule of the real product broken by a client (recorded, not prevented).
struct Violation {
  std::string time;          // ISO-8601 UTC with milliseconds
  std::string kind;          // "cluster_window_overlap"
  std::string other;         // the other system involved
  std::string command_line;  // the command that opened the overlap
};

struct NodeState {
  std::string system;       // LifeKeeper system name (may hold any character)
  std::string cluster;      // cluster name from the scenario
  std::string cluster_dir;  // absolute: the cluster's shared folder (window.json, cluster.lock)
  std::string address;      // "127.10.0.1" (no port)
  int port = 22;
  int codepage = 437;
  std::string lkroot = "C:\\LK";
  std::string extmirrbase = "C:\\Program Files\\SIOS\\DataKeeper";
  std::string default_shell = "cmd";
  bool reinstalled = false;
  int latency_ms = 0;
  std::map<std::string, std::string>
      env;  // COMPUTERNAME, LKROOT, ExtMirrBase, SystemRoot, PATH, ...
  Database on_disk, in_memory;
  std::vector<RegistryJob> registry_jobs;
  std::vector<Mirror> mirrors;
  std::vector<std::string> dk_volumes;  // volumes DataKeeper knows (clearswitchover: 0, else 15)
  RecordFormats formats;
  std::vector<Fault> faults;
  std::vector<Violation> violations;
};

void to_json(nlohmann::json& j, const CommPath& v);
void from_json(const nlohmann::json& j, CommPath& v);
void to_json(nlohmann::json& j, const Resource& v);
void from_json(const nlohmann::json& j, Resource& v);
void to_json(nlohmann::json& j, const Equivalency& v);
void from_json(const nlohmann::json& j, Equivalency& v);
void to_json(nlohmann::json& j, const Database& v);
void from_json(const nlohmann::json& j, Database& v);
void to_json(nlohmann::json& j, const RegistryJob& v);
void from_json(const nlohmann::json& j, RegistryJob& v);
void to_json(nlohmann::json& j, const Mirror& v);
void from_json(const nlohmann::json& j, Mirror& v);
void to_json(nlohmann::json& j, const RecordFormats& v);
void from_json(const nlohmann::json& j, RecordFormats& v);
void to_json(nlohmann::json& j, const Fault& v);
void from_json(const nlohmann::json& j, Fault& v);
void to_json(nlohmann::json& j, const Violation& v);
void from_json(const nlohmann::json& j, Violation& v);
void to_json(nlohmann::json& j, const NodeState& v);
void from_json(const nlohmann::json& j, NodeState& v);

// Loads / saves node.json in `node_dir`. Callers hold the node lock (NodeLock).
NodeState load_node(const std::string& node_dir);
void save_node(const std::string& node_dir, const NodeState& s);  // write tmp + rename

// flock(LOCK_EX) on node_dir/node.lock for the lifetime of the object.
class NodeLock {
 public:
  explicit NodeLock(const std::string& node_dir);
  ~NodeLock();
  NodeLock(const NodeLock&) = delete;
  NodeLock& operator=(const NodeLock&) = delete;

 private:
  int fd_ = -1;
};

// Drive C: of the node: "C:\LK\x" -> node_dir + "/C/LK/x" (case-insensitive lookup of
// existing components, as Windows does). Empty optional for other drives or bad paths.
std::optional<std::string> host_path(const std::string& node_dir, const std::string& windows_path);

}  // namespace lab
