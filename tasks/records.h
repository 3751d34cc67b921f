// What the runbook's read-only commands tell about a node, as plain values.
// Field names follow RUNBOOK.md (and tasks/assumed_formats.h where it had to assume).
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

// One line of net_list (ASSUMED fields, see assumed_formats.h).
struct CommPath {
  std::string system, other_system, local_address, remote_address, state;
  int priority = 0;
  std::string type;
  bool operator==(const CommPath&) const = default;
};

// One line of ins_list (ASSUMED fields, see assumed_formats.h).
struct Resource {
  std::string app, type, tag, id, state;
  bool operator==(const Resource&) const = default;
};

// One 7-field tuple of a DataKeeper job's MirrorEndPoints.
struct MirrorEndpoint {
  std::string source, source_volume, source_ip, target, target_volume, target_ip;
  std::string mode;  // "A" async, "S" sync
  bool operator==(const MirrorEndpoint&) const = default;
};

// One block of `emcmd . getjobinfoforvol V`.
struct Job {
  std::string id, name, description;
  std::vector<MirrorEndpoint> endpoints;
  bool operator==(const Job&) const = default;
};

// One line of `emcmd . getmirrorvolinfo V` (ASSUMED format, see assumed_formats.h).
struct MirrorLine {
  std::string volume, source_ip, target_ip, state;
  bool operator==(const MirrorLine&) const = default;
};

}  // namespace lkr::tasks
