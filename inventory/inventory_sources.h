// Where the inventory comes from and how its files are read: -i FILE or DIR (repeatable),
// else ANSIBLE_INVENTORY, else ansible.cfg's `[defaults] inventory`; every file as YAML,
// INI or ansible-inventory --list JSON; group_vars/ and host_vars/ beside each source and
// beside the playbook folder.
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

// --playbook-dir, else ANSIBLE_PLAYBOOK_DIR, else ansible.cfg's `playbook_dir`; "" for none
// (ansible-inventory reads no playbook folder then, not even the current one).
std::string playbook_dir_source(const std::string& cli);

// Reads every source (files in a DIR in name order, as Ansible does; `a,b:22,` host lists)
// into one tree, with the group_vars/ and host_vars/ beside each source and beside the
// playbook folder when one is given.
InventorySources read_inventory_sources(const std::vector<std::string>& sources,
                                        const std::string& playbook_dir = "");

}  // namespace lkr
