// Where the inventory comes from and how its files are read: -i FILE or DIR (repeatable),
// else ANSIBLE_INVENTORY, else ansible.cfg's `[defaults] inventory`; every file as YAML,
// INI or ansible-inventory --list JSON; group_vars/ and host_vars/ beside each source.
#pragma once

#include <string>
#include <vector>

#include "inventory/group_tree.h"

namespace lkr {

// The sources to read: the -i arguments, or Ansible's defaults when there are none.
// Throws InventoryError when no source is found anywhere.
std::vector<std::string> inventory_sources(const std::vector<std::string>& cli);

struct InventorySources {
  GroupTree tree;
  std::string bytes;  // every file read, in order, for the digest
};

// Reads every source (files in a DIR in name order, as Ansible does) into one tree.
InventorySources read_inventory_sources(const std::vector<std::string>& sources);

}  // namespace lkr
