// Facts: what one node's read-only commands say, parsed into plain values.
// gather_facts() is the only reader; every step plans and verifies from its result.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "tasks/action.h"
#include "tasks/records.h"

namespace lkr::tasks {

// What DataKeeper and LifeKeeper hold for one volume (a drive letter).
struct VolumeFacts {
  std::string volume;
  std::vector<Job> jobs;            // emcmd . getjobinfoforvol V
  std::vector<MirrorLine> mirrors;  // emcmd . getmirrorvolinfo V
  bool lkdrinfo_present = false;    // if exist %LKROOT%\...\LKDRInfo.V
  bool operator==(const VolumeFacts&) const = default;
};

struct NodeFacts {
  // False when sys_list did not answer: LifeKeeper is not installed or not running;
  // nothing after sys_list was read then.
  bool lifekeeper_answers = false;
  std::string lifekeeper_problem;  // why not, in the node's words
  std::string local_system;        // hostname
  std::vector<std::string> systems;
  std::vector<Equivalency> equivalencies;
  std::vector<CommPath> comm_paths;
  std::vector<Resource> resources;
  std::vector<VolumeFacts> volumes;  // one per volume resource, in ins_list order
  std::vector<std::string> notes;    // what was left unread and why
};

// Reads a node's facts: hostname, sys_list, eqv_list, net_list, ins_list, then for each
// volume resource of ins_list (filesys/volume, id = drive letter): getjobinfoforvol,
// getmirrorvolinfo and the LKDRInfo probe. Costs fact_round_trips(volumes) commands.
// Throws OddOutput when a command fails or prints what its parser does not understand;
// TransportError (from `read`) when the node cannot be reached.
NodeFacts gather_facts(const Host& host, const ReadFn& read);

// Round trips gather_facts costs on a node with `volumes` volume resources.
constexpr std::size_t fact_round_trips(std::size_t volumes) { return 5 + 3 * volumes; }

// The volume facts of `volume`, or nullptr.
const VolumeFacts* find_volume(const NodeFacts& facts, const std::string& volume);

}  // namespace lkr::tasks
