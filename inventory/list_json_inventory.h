// The output of `ansible-inventory --list` (JSON, or YAML of the same shape): groups whose
// `hosts` and `children` are lists, and every host's variables under `_meta.hostvars`.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "inventory/group_tree.h"

namespace lkr {

// True when the document has `_meta` at its top: the --list shape, not the YAML plugin's.
bool is_inventory_list(const YAML::Node& root);

void add_inventory_list(GroupTree& tree, const YAML::Node& root, const std::string& file);

}  // namespace lkr
