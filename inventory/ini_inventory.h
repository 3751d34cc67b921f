// Ansible's INI inventory format (the ini inventory plugin): `[group]` host lines with inline
// `key=value` variables, `[group:vars]`, `[group:children]`, ungrouped hosts before the
// first section, host ranges, `#` and `;` comments.
#pragma once

#include <string>

#include "inventory/group_tree.h"

namespace lkr {

// Adds the file's groups and hosts to the tree. Throws InventoryError (file:line) for a line
// the ini plugin would refuse too.
void add_ini_inventory(GroupTree& tree, const std::string& bytes, const std::string& file);

// A value as the ini plugin reads it (it runs Python's ast.literal_eval): a quoted string
// loses its quotes, a [list] or {dict} becomes one; anything else stays the text it is
// (numbers and True/False too: lkrecover reads those from text).
YAML::Node ini_value(const std::string& text);

}  // namespace lkr
