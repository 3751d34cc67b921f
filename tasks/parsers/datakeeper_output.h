// Pure parsers of DataKeeper's emcmd output and of its registry keys (runbook §5, E6,
// E10-E12). Input: stdout as UTF-8. Each throws lkr::OddOutput naming the command, the
// expected shape and the odd line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tasks/records.h"

namespace lkr::tasks {

// One job block of `emcmd . getjobinfoforvol V`, with the tuples as listed.
struct ListedJob {
  std::string id, name, description;
  std::vector<MirrorEndpoint> endpoints;
};
// Zero, one or several jobs (assumed_formats.h, getjobinfoforvol).
std::vector<ListedJob> parse_job_info(std::string_view text);
// A value holding 7-field tuples joined by ';' (getjobinfoforvol, the registry).
std::vector<MirrorEndpoint> parse_mirror_endpoints(std::string_view value,
                                                   std::string_view command);
// The N of the "Status = N" line any emcmd action prints.
int parse_emcmd_status(std::string_view text, std::string_view command);
// `emcmd . getmirrorvolinfo V`: one line per mirror; none (or "Status = 15") without.
std::vector<MirrorLine> parse_mirror_info(std::string_view text);
// `reg query <Jobs key> /s`: every job key with its Name, Description and Endpoints.
std::vector<Job> parse_registry_jobs(std::string_view text);

}  // namespace lkr::tasks
