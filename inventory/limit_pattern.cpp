#include "inventory/limit_pattern.h"

#include <fnmatch.h>

#include <algorithm>
#include <regex>

#include "inventory/inventory.h"

namespace lkr {

namespace {

std::vector<std::string> split_patterns(const std::string& pattern) {
  std::vector<std::string> parts;
  std::string current;
  auto flush = [&] {
    size_t b = current.find_first_not_of(" \t");
    size_t e = current.find_last_not_of(" \t");
    if (b != std::string::npos) parts.push_back(current.substr(b, e - b + 1));
    current.clear();
  };
  for (char c : pattern) {
    if (c == ',' || c == ':')
      flush();
    else
      current += c;
  }
  flush();
  return parts;
}

bool name_matches(const std::string& pattern, const std::string& name) {
  if (!pattern.empty() && pattern[0] == '~') {
    try {
      return std::regex_search(name, std::regex(pattern.substr(1)));
    } catch (const std::regex_error&) {
      throw InventoryError("--limit: \"" + pattern + "\" is not a valid regular expression");
    }
  }
  return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

std::set<std::string> hosts_matching(
    const std::string& pattern, const std::map<std::string, std::vector<std::string>>& groups) {
  std::set<std::string> out;
  for (const auto& [group, hosts] : groups) {
    if (name_matches(pattern, group)) out.insert(hosts.begin(), hosts.end());
    for (const auto& h : hosts)
      if (name_matches(pattern, h)) out.insert(h);
  }
  return out;
}

}  // namespace

HostPatternResult match_host_pattern(
    const std::string& pattern, const std::map<std::string, std::vector<std::string>>& groups) {
  std::vector<std::string> plain, intersect, exclude;
  for (const auto& p : split_patterns(pattern)) {
    if (p[0] == '&')
      intersect.push_back(p.substr(1));
    else if (p[0] == '!')
      exclude.push_back(p.substr(1));
    else
      plain.push_back(p);
  }
  HostPatternResult result;
  auto match = [&](const std::string& p) {
    auto hosts = hosts_matching(p, groups);
    if (hosts.empty()) result.unmatched.push_back(p);
    return hosts;
  };
  if (plain.empty()) {
    auto all = groups.find("all");
    if (all != groups.end()) result.hosts.insert(all->second.begin(), all->second.end());
  }
  for (const auto& p : plain) result.hosts.merge(match(p));
  for (const auto& p : intersect) {
    auto keep = match(p);
    std::erase_if(result.hosts, [&](const std::string& h) { return !keep.count(h); });
  }
  for (const auto& p : exclude)
    for (const auto& h : match(p)) result.hosts.erase(h);
  return result;
}

void apply_limit(Inventory& inventory, const std::string& pattern) {
  HostPatternResult selected = match_host_pattern(pattern, inventory.groups);
  for (const auto& p : selected.unmatched)
    inventory.warnings.push_back("--limit: \"" + p + "\" matches no host or group");
  for (auto& c : inventory.clusters) {
    std::vector<Host> kept;
    for (auto& h : c.hosts) {
      if (selected.hosts.count(h.name))
        kept.push_back(std::move(h));
      else
        c.limited_out.push_back(h.name);
    }
    c.hosts = std::move(kept);
  }
  std::erase_if(inventory.clusters, [](const Cluster& c) { return c.hosts.empty(); });
  if (inventory.clusters.empty())
    throw InventoryError("--limit \"" + pattern + "\" leaves no host of any selected cluster; " +
                         "check the names against the inventory");
}

}  // namespace lkr
