// RUNBOOK §9-10 cannot be automated (the hierarchies are extended again from the GUI or
// the extend tools): this step turns the snapshot facts into the list of what to
// recreate, as text and as JSON: hierarchies (resources that had an equivalency with R,
// and where each is in service), comm paths with their addresses, mirrors with their IPs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "tasks/node_facts.h"

namespace lkr::tasks::reextension_checklist {

// (survivor system name, its snapshot facts)
using SurvivorFacts = std::pair<std::string, NodeFacts>;

struct HierarchyItem {
  std::string tag, app, type, id;
  std::vector<std::string> held_by;  // survivors whose database holds it
  std::string in_service_on;         // survivor where its state is ISP (empty: none)
  bool operator==(const HierarchyItem&) const = default;
};

struct CommPathItem {
  std::string system, local_address, remote_address;  // from the survivor to R
  int priority = 0;
  std::string device;  // TCPIP:<port> (net_create -D, E3)
  bool operator==(const CommPathItem&) const = default;
};

struct MirrorItem {
  std::string job_name, volume, source, source_ip, target, target_ip, mode;
  std::string job_id;
  bool between_survivors = false;  // a pair without R, of a job deleted because it named R
  bool operator==(const MirrorItem&) const = default;
};

struct Checklist {
  std::string replaced;
  std::vector<HierarchyItem> hierarchies;
  std::vector<CommPathItem> comm_paths;
  std::vector<MirrorItem> mirrors;
};

Checklist build(const std::vector<SurvivorFacts>& survivors, const std::string& replaced);
// Adds to `into` every item of `from` that it lacks (and a hierarchy's missing holders):
// a run that takes over from an interrupted one still lists what that one removed.
void merge(Checklist& into, const Checklist& from);
// The inverse of to_json; throws std::exception on a document of another shape.
Checklist from_json(const nlohmann::json& j);
std::vector<std::string> lines(const Checklist& c);
nlohmann::json to_json(const Checklist& c);

}  // namespace lkr::tasks::reextension_checklist
