// Ansible's host variables (and ours) turned into a Host, with the checks that need a line.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "inventory/group_tree.h"
#include "inventory/inventory.h"

namespace lkr {

// Every variable lkrecover reads or accepts for a later transport.
const std::vector<std::string>& known_variable_names();

// Builds the host from its resolved variables. Throws InventoryError (file:line of the
// offending definition) for a bad port, code page, connection or shell type, or a host
// that has no usable address.
Host make_host(const GroupTree& tree, const std::string& name, const std::string& default_user);

// "file:line: unknown variable ..." for every ansible_*/lk_*/dk_* name we do not know,
// defined in one of the given groups or hosts (the ones that reach a cluster).
std::vector<std::string> unknown_variable_warnings(const GroupTree& tree,
                                                   const std::set<std::string>& groups,
                                                   const std::set<std::string>& hosts);

}  // namespace lkr
