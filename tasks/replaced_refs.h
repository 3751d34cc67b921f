// What, in a node's facts, refers to the replaced system R. Every step plans from these
// tests, so "touch nothing that does not refer to R" is decided in one place.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "tasks/node_facts.h"

namespace lkr::tasks {

bool names_replaced(const Equivalency& e, const std::string& replaced);
bool names_replaced(const CommPath& p, const std::string& replaced);
bool names_replaced(const MirrorEndpoint& e, const std::string& replaced);
bool names_replaced(const Job& j, const std::string& replaced);
bool lists_replaced(const NodeFacts& f, const std::string& replaced);  // sys_list

// R's addresses as this node knows them: the IPs of R in job endpoints and the remote
// addresses of comm paths to R. A mirror is R's when getmirrorvolinfo names R or one of
// these addresses (E10 shows both).
std::set<std::string> replaced_addresses(const NodeFacts& f, const std::string& replaced);
bool mirrors_to(const MirrorLine& m, const std::string& replaced,
                const std::set<std::string>& addresses);

// The volumes mirrored with R: a job naming R, a mirror to one of R's addresses, or a
// volume resource with an equivalency to R.
std::vector<std::string> volumes_mirrored_with(const NodeFacts& f, const std::string& replaced,
                                               const std::set<std::string>& addresses);

// Systems other than R and the local one that a job mirrors to or from.
std::vector<std::string> other_systems_of(const Job& j, const std::string& local,
                                          const std::string& replaced);

// What of DataKeeper still refers to R: jobs naming R, mirrors with R (one line each).
std::vector<std::string> datakeeper_references(const NodeFacts& f, const std::string& replaced,
                                               const std::set<std::string>& addresses);

// Human-readable list of what still refers to R (empty: nothing does).
std::vector<std::string> remaining_references(const NodeFacts& f, const std::string& replaced,
                                              const std::set<std::string>& addresses,
                                              const std::vector<std::string>& mirrored_volumes);

}  // namespace lkr::tasks
