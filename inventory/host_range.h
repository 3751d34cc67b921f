// Ansible's host patterns in inventories: `node[01:03]`, `node[a:c]`, `node[0:10:2]`, and a
// `:PORT` suffix, expanded as Ansible's expand_hostname_range and parse_address do.
#pragma once

#include <string>
#include <vector>

namespace lkr {

struct HostPattern {
  std::vector<std::string> names;  // in Ansible's order
  std::string port;                // from `name:PORT` (empty: none)
};

// `where` ("file:line") prefixes the InventoryError thrown for a malformed range.
HostPattern expand_host_pattern(const std::string& text, const std::string& where);

}  // namespace lkr
