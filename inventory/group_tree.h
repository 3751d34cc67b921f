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
  std::string text() const;  // scalars as written; other values as flow YAML
};
using VarMap = std::map<std::string, VarDef>;

struct HostDecl {
  std::string name;
  int line = 0;  // first mention
  VarMap vars;   // merged over every mention, later mentions win (as in Ansible)
};

struct GroupDecl {
  std::string name;
  int line = 0;  // first definition (0 for the implicit `all`)
  VarMap vars;
  std::vector<std::string> hosts;  // own hosts, in document order
  std::set<std::string> children, parents;
  int depth = 0;     // longest path from `all`, Ansible's order of group precedence
  int priority = 1;  // ansible_group_priority
};

struct GroupTree {
  std::string file;
  std::map<std::string, GroupDecl> groups;
  std::map<std::string, HostDecl> hosts;
  std::vector<std::string> group_order;  // document order of first definition
  std::vector<std::string> host_order;   // document order of first mention
};

// Throws InventoryError naming file and line for anything that is not an Ansible inventory.
GroupTree parse_group_tree(const YAML::Node& root, const std::string& file);

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
