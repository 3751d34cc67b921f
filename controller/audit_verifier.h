// Reading an audit folder back: is its hash chain intact, and did its run finish.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "controller/audit_key.h"

namespace lkr {

// The prev_sha256 of events.jsonl's first line: 64 zeros.
inline const std::string kChainStartHash(64, '0');

// Reads run_dir/events.jsonl (and run.json's record of it when the run finished) and
// returns one line of text per problem, naming the line: edited, deleted, inserted,
// reordered, truncated. With the key the run was signed with (run.json's audit_key),
// every line's and run.json's HMAC is checked too, which a recomputed chain cannot pass;
// a signed run checked without its key, or an unsigned one checked with a key, is a
// problem. Empty means the trail is intact.
std::vector<std::string> verify_audit_chain(const std::filesystem::path& run_dir,
                                            const std::optional<AuditKey>& key = std::nullopt);

// For a run whose run.json does not say "finished": what the trail's incompleteness means
// (still running, or killed/crashed: its last event, and that a re-run reads every node's
// facts again). nullopt for a finished run. Not tampering: the chain is checked apart.
std::optional<std::string> unfinished_run(const std::filesystem::path& run_dir);

}  // namespace lkr
