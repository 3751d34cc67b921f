// The inventory file as Ansible sees it: groups (vars, hosts, children) and host variables,
// each definition with its line, before any variable is resolved or interpreted.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace lkr {

struct VarDef {
  YAML::Node value;
  int line = 0;
  std::string file;           // where it is defined: the inventory, or a group_vars/ file
  std::string text() const;   // scalars as written; other values as flow YAML
  std::string where() const;  // "file:line"

  VarDef() = default;
  VarDef(YAML::Node v, int l, std::string f) : value(std::move(v)), line(l), file(std::move(f)) {}
  VarDef(const VarDef&) = default;
  // yaml-cpp's Node::operator= writes through to the node it refers to, which the inventory
  // document and every other copy share: a host's value would overwrite its group's. Rebind.
  VarDef& operator=(const VarDef& other) {
    value.reset(other.value);
    line = other.line;
    file = other.file;
    return *this;
  }
};
using VarMap = std::map<std::string, VarDef>;

struct HostDecl {
  std::string name;
  std::string file;            // of the first mention
  int line = 0;                // first mention
  VarMap vars;                 // merged over every mention, later mentions win (as in Ansible)
  VarMap vars_files;           // host_vars/NAME beside an inventory: above every inventory variable
  VarMap playbook_vars_files;  // host_vars/NAME beside the playbook (--playbook-dir): above all
};

struct GroupDecl {
  std::string name;
  std::string file;  // of the first definition
  int line = 0;      // first definition (0 for the implicit `all`)
  VarMap vars;
  VarMap vars_files;  // group_vars/NAME beside an inventory: above the inventory files' vars
  VarMap playbook_vars_files;      // group_vars/NAME beside the playbook (--playbook-dir)
  std::vector<std::string> hosts;  // own hosts, in document order
  std::set<std::string> children, parents;
  int depth = 0;     // longest path from `all`, Ansible's order of group precedence
  int priority = 1;  // ansible_group_priority
};

struct GroupTree {
  std::string file;  // the first source (errors about the whole tree name it)
  std::map<std::string, GroupDecl> groups;
  std::map<std::string, HostDecl> hosts;
  std::vector<std::string> group_order;  // document order of first definition
  std::vector<std::string> host_order;   // document order of first mention
  std::vector<std::string> warnings;     // duplicate keys etc., each with file:line
  // A group_vars/ or host_vars/ file -> the inventory source it sits beside.
  std::map<std::string, std::string> inventory_of;
  std::string playbook_dir;  // --playbook-dir (empty: none): its group_vars/ and host_vars/
};

std::string location(const std::string& file, int line);  // "file:line"

// Building blocks for every reader (YAML, INI, ansible-inventory JSON): each name is
// created once, at its first mention.
GroupDecl& ensure_group(GroupTree& tree, const std::string& name, const std::string& file,
                        int line);
HostDecl& ensure_host(GroupTree& tree, const std::string& name, const std::string& file, int line);
void add_child_group(GroupTree& tree, const std::string& parent, const std::string& child);
void add_group_host(GroupTree& tree, const std::string& group, const std::string& host);

// Adds the groups and hosts of one YAML inventory to the tree (host keys may be ranges).
// Throws InventoryError naming file and line for anything that is not an Ansible inventory.
void add_yaml_inventory(GroupTree& tree, const YAML::Node& root, const std::string& file);

// After every source is read: depths, priorities, cycles.
void finish_group_tree(GroupTree& tree);

// Every host of the group: its own and its children's, recursively, in document order.
std::vector<std::string> hosts_of_group(const GroupTree& tree, const std::string& group);

// The group and all its ancestors, lowest precedence first (depth, priority, name).
std::vector<const GroupDecl*> group_with_ancestors(const GroupTree& tree, const std::string& group);

// Every group holding the host (directly or through children), lowest precedence first.
std::vector<const GroupDecl*> groups_of_host(const GroupTree& tree, const std::string& host);

// Ansible's resolution: group vars in precedence order, then (for hosts) host vars.
VarMap resolve_group_vars(const GroupTree& tree, const std::string& group);
VarMap resolve_host_vars(const GroupTree& tree, const std::string& host);

}  // namespace lkr
