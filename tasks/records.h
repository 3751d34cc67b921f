// What the runbook's read-only commands tell about a node, as plain values. Field names
// follow RUNBOOK.md; each format's evidence is cited in tasks/assumed_formats.h.
#pragma once

#include <string>
#include <vector>

namespace lkr::tasks {

// One line of eqv_list: system, tag, other system, other tag, type, priority, other priority.
struct Equivalency {
  std::string system, tag, other_system, other_tag, type;
  int priority = 0, other_priority = 0;
  bool operator==(const Equivalency&) const = default;
};

// One line of net_list: a comm path of the local database. `system` is the local system
// (listed by the line, or the node's own name where the layout leaves it out).
struct CommPath {
  std::string system, other_system, local_address, remote_address;
  std::string device;  // "TCPIP:1500"; empty where the layout shows none (net_remove refused)
  std::string state;   // ALIVE, DEAD: run-time state, not configuration
  int priority = 0;
  std::string line;  // as net_list printed it (named in refusals)
  bool operator==(const CommPath&) const = default;
};

// One line of ins_list: app, resource type, tag, id, switchback, info, state, and
// whatever fields follow (kept as seen).
struct Resource {
  std::string app, type, tag, id, switchback, info, state;
  std::vector<std::string> more;
  bool operator==(const Resource&) const = default;
};

// One 7-field tuple of a DataKeeper job's Endpoints: a pair of nodes.
struct MirrorEndpoint {
  std::string source, source_volume, source_ip, target, target_volume, target_ip;
  std::string mode;  // "A" async, "S" sync
  bool operator==(const MirrorEndpoint&) const = default;
};

// A DataKeeper job: its registry key's Endpoints (the reliable source, E6/E7) joined
// with what `emcmd . getjobinfoforvol V` lists for it.
struct Job {
  std::string id, name, description;
  std::vector<MirrorEndpoint> endpoints;  // from the registry value Endpoints
  bool operator==(const Job&) const = default;
};

// One line of `emcmd . getmirrorvolinfo V`: the local end of one mirror (E10, E11).
struct MirrorLine {
  std::string volume;  // drive letter, without the colon
  int role = 0;        // 1 on a source; other values UNKNOWN (kept as seen)
  std::string other_system, other_ip;
  int state = 0;  // 0 none .. 5 resync pending
  bool operator==(const MirrorLine&) const = default;
};

}  // namespace lkr::tasks
