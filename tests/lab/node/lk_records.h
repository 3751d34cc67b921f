// The records LifeKeeper's list commands print, one line each, fields joined by the
// separator (Ctrl-A unless -fC, E1): the formats of docs/record-formats.md in one place,
// each beside its evidence, the record's silences as the cluster's RecordFormats.
#pragma once

#include <string>

#include "tests/lab/node/node_state.h"

namespace lab {

// The LCD list commands' default field separator: Ctrl-A (E1, E2).
inline constexpr const char* kLcdSeparator = "\x01";

// eqv_list: sys tag othersys othertag type prio otherprio (runbook step 1, E2).
std::string eqv_record(const Equivalency& e, const std::string& sep);

// net_list, per RecordFormats::net_list_layout (E1: 2nd field local/remote; E5).
std::string net_record(const CommPath& p, const RecordFormats& f, const std::string& sep);

// A resource's id as ins_list prints it: a volume's is the drive with its colon, "E:"
// (E8), unless RecordFormats::volume_id is "letter".
std::string printed_resource_id(const Resource& r, const RecordFormats& f);

// ins_list: app restyp tag id switchback info state (E2 state 7th, E8 info 6th), then,
// for ins_list_fields "extended", reason, initialisation and two check intervals.
std::string ins_record(const Resource& r, const RecordFormats& f, const std::string& sep);

}  // namespace lab
