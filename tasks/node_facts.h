// Facts: what one node's read-only commands say, parsed into plain values.
// gather_facts() is the only reader; every step plans and verifies from its result.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "tasks/action.h"
#include "tasks/records.h"

namespace lkr::tasks {

// What DataKeeper and LifeKeeper hold for one volume (a drive letter).
struct VolumeFacts {
  std::string volume;
  std::vector<Job> jobs;            // jobs getjobinfoforvol lists, tuples from the registry
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
  std::string lifekeeper_name;     // the local system as sys_list spells it (-d of changes)
  std::vector<std::string> systems;
  std::vector<Equivalency> equivalencies;
  std::vector<CommPath> comm_paths;
  std::vector<Resource> resources;
  std::vector<Job> registry_jobs;    // every job key of the node (reg query /s)
  std::vector<VolumeFacts> volumes;  // volume resources and volumes of the node's jobs
  std::vector<std::string> notes;    // how a variant was read (e.g. an empty list's exit 7)
};

// Told of every command gather_facts runs and whether its output was recognised
// (`problem` empty) or not (`problem` says what was expected, `raw_line` what came).
// With an observer, a command that is not recognised adds nothing and the rest is
// still read (`lkrecover facts`); without one, it throws.
struct FactsVerdict {
  std::string what;
  Command command;
  CommandResult result;
  std::string problem;
  std::string raw_line;
};
using FactsObserver = std::function<void(const FactsVerdict&)>;

// Reads a node's facts: hostname, sys_list, eqv_list, net_list, ins_list, the DataKeeper
// job keys, then for each volume (a volume resource of ins_list, or a volume of one of
// the node's jobs): getjobinfoforvol, getmirrorvolinfo and the LKDRInfo probe. Costs
// fact_commands(volumes) commands. Throws OddOutput when a command fails or prints
// what its parser cannot place (also an id, volume or field it cannot place: nothing is
// skipped); TransportError (from `read`) when the node cannot be reached.
// With `read_many`, the reads go in as few lines as fit: the six before the volumes are
// known in one (with the volumes of `volumes_hint`, e.g. the snapshot's, when given),
// the volumes' reads in a second where the hint did not name them all; each read is
// still parsed, judged and audited on its own.
NodeFacts gather_facts(const Host& host, const ReadFn& read,
                       const FactsObserver& observer = nullptr,
                       const ReadManyFn& read_many = nullptr,
                       const std::vector<std::string>& volumes_hint = {});

// Commands gather_facts reads on a node with `volumes` volumes.
constexpr std::size_t fact_commands(std::size_t volumes) { return 6 + 3 * volumes; }

// The volume facts of `volume`, or nullptr.
const VolumeFacts* find_volume(const NodeFacts& facts, const std::string& volume);

}  // namespace lkr::tasks
