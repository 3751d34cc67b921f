// Pure parsers of DataKeeper's emcmd output (RUNBOOK §5). Input: stdout as UTF-8.
// Each throws lkr::OddOutput naming the command, the expected shape and the odd line.
#pragma once

#include <string_view>
#include <vector>

#include "tasks/records.h"

namespace lkr::tasks {

// `emcmd . getjobinfoforvol V`: zero, one or several jobs (assumed_formats.h).
std::vector<Job> parse_job_info(std::string_view text);
// A MirrorEndPoints value: 7-field tuples joined by ';'.
std::vector<MirrorEndpoint> parse_mirror_endpoints(std::string_view value);
// The N of the "Status = N" line any emcmd action prints.
int parse_emcmd_status(std::string_view text, std::string_view command);
// `emcmd . getmirrorvolinfo V` (ASSUMED format): one line per target, none without mirror.
std::vector<MirrorLine> parse_mirror_info(std::string_view text);

}  // namespace lkr::tasks
