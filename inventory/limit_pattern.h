// Ansible's host patterns (--limit), evaluated over the inventory's hosts and groups.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace lkr {

struct HostPatternResult {
  std::set<std::string> hosts;
  std::vector<std::string> unmatched;  // patterns that matched no host and no group
};

// `groups` maps every group name (with "all") to its hosts. Plain patterns are united,
// then each `&pattern` intersects and each `!pattern` removes, as in Ansible; with no
// plain pattern the start is `all`.
HostPatternResult match_host_pattern(const std::string& pattern,
                                     const std::map<std::string, std::vector<std::string>>& groups);

}  // namespace lkr
