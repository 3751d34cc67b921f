// What only Ansible itself can resolve: Jinja templates, vault-encrypted values, and
// executable (dynamic) inventories. lkrecover never takes them literally: it refuses them,
// naming the file and line, and gives the ansible-inventory command that writes the
// inventory out.
#pragma once

#include <string>

#include "inventory/group_tree.h"

namespace lkr {

// "ansible-inventory -i FILE [--playbook-dir DIR] --list --export -y > resolved.yml", each
// path shell-quoted. The export holds the playbook folder's group_vars/ and host_vars/ too.
std::string resolve_command(const std::string& file, const std::string& playbook_dir = "");

// Throws for a file with an execute bit or a `#!` first line (Ansible would run it).
void refuse_executable(const std::string& file, const std::string& bytes);

// Throws for a whole file encrypted with ansible-vault.
void refuse_vault_file(const std::string& file, const std::string& bytes);

// Throws when the value (or any value inside it) is a template, a `!vault` value or
// `$ANSIBLE_VAULT;` text. `owner` is the host or group it is read for.
void refuse_unresolved_value(const GroupTree& tree, const std::string& name, const VarDef& def,
                             const std::string& owner);

}  // namespace lkr
