// Snapshot (before any change): gather_facts() saves each listing it reads under the
// record its command names (Command::record: "equivalencies/eqv_list.txt",
// "datakeeper/volume-E-mirrors.txt", ...); plan() adds, for each DataKeeper job
// naming R, `reg export <job key> <backup> /y`, certutil's SHA-256 and base64 of the
// backup and `type` of the base64, so that the job's registry file lands in the audit
// folder byte for byte (as "datakeeper/job-<id>.reg", checked against the node's digest)
// before `reg delete` removes it; then the node's files are deleted and checked gone.
#pragma once

#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "tasks/action.h"
#include "tasks/node_facts.h"

namespace lkr::tasks::snapshot {

inline constexpr const char* kStep = "snapshot";

// The listings the snapshot saves (gather_facts reads these, plus getmirrorvolinfo
// and the LKDRInfo probes).
std::vector<Command> listings(const NodeFacts& f, const Host& host);

std::vector<Action> plan(const NodeFacts& f, const Host& host, const std::string& replaced);

// plan()'s actions as the lines they may share (NodeSession::apply_batch): every job's
// copy (export, digest, base64, type), then every job's cleanup (the two del and their
// checks), so that the node's files are removed only once every copy was read.
std::vector<std::vector<Action>> plan_lines(const NodeFacts& f, const Host& host,
                                            const std::string& replaced);

}  // namespace lkr::tasks::snapshot
