// Faults armed on a node (NodeState::faults) and the journal of what ran.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/lab/node/node_state.h"

namespace lab {

// Whether `f` applies to a command called `command` (base name of argv[0], lowercased,
// without extension; or a built-in's name) run from the raw line `raw_line`.
bool fault_matches(const Fault& f, const std::string& command, const std::string& raw_line);

// The first matching armed fault, consumed: its `times` goes down by one (persisted; the
// fault is removed at 0; -1 never runs out). While its `skip` is above 0 the match only
// counts that down and the command runs unharmed (nullopt). Takes the node lock.
// `snapshot` avoids the lock when no fault could match.
std::optional<Fault> take_fault(const std::string& node_dir, const NodeState& snapshot,
                                const std::string& command, const std::string& raw_line);

// Deterministic junk for the "garbage" fault: invalid multibyte sequences for every code
// page, a bare LF, a NUL, high bytes; the same for the same seed.
std::string garbage_bytes(const std::string& seed);

// Filler for the "flood" fault: `bytes` bytes of printable lines of `line_bytes` each
// (CRLF included; 0 = 1 MiB), so a client meets huge output and huge lines at once.
std::string flood_bytes(long long bytes, long long line_bytes);

// The "tamper" fault: one byte in the middle of the file at host path `host_file` is
// changed in place (XOR 1), so the file differs from what it was a moment before.
void tamper_with_file(const std::string& host_file);

// The "corrupt" fault: `bytes` with the case of its first ASCII letter at or after the
// middle flipped (base64 stays base64 and decodes to other bytes); unchanged when it
// holds no such letter.
std::string corrupted_in_flight(std::string bytes);

struct JournalEntry {
  std::string start, end;         // ISO-8601 UTC with milliseconds
  std::string command_line;       // the raw line as received, UTF-8
  std::vector<std::string> argv;  // as that program received it
  int rc = 0;
  std::string fault;  // the fault kind that fired, if any (extra field)
};

// Appends one JSON line to node_dir/journal.jsonl under the node lock.
void append_journal(const std::string& node_dir, const JournalEntry& e);

}  // namespace lab
