#include "inventory/group_tree.h"

#include <algorithm>
#include <functional>

#include "inventory/edit_distance.h"
#include "inventory/host_range.h"
#include "inventory/inventory.h"

namespace lkr {

std::string VarDef::text() const {
  if (!value || value.IsNull()) return "";
  if (value.IsScalar()) return value.Scalar();
  YAML::Emitter out;
  out << YAML::Flow << value;
  return out.c_str();
}

std::string VarDef::where() const { return location(file, line); }

std::string location(const std::string& file, int line) {
  return file + ":" + std::to_string(line);
}

GroupDecl& ensure_group(GroupTree& tree, const std::string& name, const std::string& file,
                        int line) {
  auto [it, inserted] = tree.groups.try_emplace(name);
  if (inserted) {
    it->second.name = name;
    it->second.file = file;
    it->second.line = line;
    tree.group_order.push_back(name);
  } else if (it->second.line == 0 && line != 0) {
    it->second.file = file;  // `all`, created implicitly, then written out
    it->second.line = line;
  }
  return it->second;
}

HostDecl& ensure_host(GroupTree& tree, const std::string& name, const std::string& file, int line) {
  auto [it, inserted] = tree.hosts.try_emplace(name);
  if (inserted) {
    it->second.name = name;
    it->second.file = file;
    it->second.line = line;
    tree.host_order.push_back(name);
  }
  return it->second;
}

void add_child_group(GroupTree& tree, const std::string& parent, const std::string& child) {
  tree.groups.at(parent).children.insert(child);
  tree.groups.at(child).parents.insert(parent);
}

void add_group_host(GroupTree& tree, const std::string& group, const std::string& host) {
  auto& own = tree.groups.at(group).hosts;
  if (std::find(own.begin(), own.end(), host) == own.end()) own.push_back(host);
}

namespace {

int line_of(const YAML::Node& node) { return node.Mark().line + 1; }

const char* kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      return "nothing";
  }
}

class TreeParser {
 public:
  TreeParser(GroupTree& tree, const std::string& file) : tree_(tree), file_(file) {}

  void parse(const YAML::Node& root) {
    if (!root || root.IsNull()) fail(1, "the inventory is empty; define groups under `all:`");
    if (!root.IsMap())
      fail(line_of(root),
           std::string("expected a mapping of groups (all: ...), found ") + kind_of(root));
    ensure_group(tree_, "all", file_, 0);
    std::set<std::string> seen;
    for (const auto& entry : root) {
      std::string name = key_text(entry.first);
      warn_duplicate(seen, name, entry.first, "group");
      parse_group(name, entry.first, entry.second, name == "all" ? "" : "all");
    }
  }

 private:
  [[noreturn]] void fail(int line, const std::string& what) const {
    throw InventoryError(location(file_, line) + ": " + what);
  }

  // yaml-cpp keeps both entries of a repeated key; Ansible takes the last one and warns.
  void warn_duplicate(std::set<std::string>& seen, const std::string& key, const YAML::Node& at,
                      const std::string& what) {
    if (seen.insert(key).second) return;
    tree_.warnings.push_back(location(file_, line_of(at)) + ": duplicate " + what + " key \"" +
                             key + "\": the last one wins; remove one of them");
  }

  std::string key_text(const YAML::Node& key) const {
    if (!key.IsScalar()) fail(line_of(key), "a name must be a plain string");
    return key.Scalar();
  }

  // YAML aliases let a small file name a group body over and over (a "billion laughs"):
  // every group, host and variable entry read is counted, and past the limit the file is
  // refused rather than walked for hours.
  void count_entry(const YAML::Node& at) {
    if (++entries_ <= kMaxEntries) return;
    fail(line_of(at), "the inventory expands to more than " + std::to_string(kMaxEntries) +
                          " group, host and variable entries (YAML aliases reused over and "
                          "over?); write the groups out, or use fewer aliases");
  }

  void parse_group(const std::string& name, const YAML::Node& key, const YAML::Node& body,
                   const std::string& parent) {
    count_entry(key);
    ensure_group(tree_, name, file_, line_of(key));
    if (!parent.empty()) add_child_group(tree_, parent, name);
    if (!body || body.IsNull()) return;
    if (!body.IsMap())
      fail(line_of(body), "group \"" + name + "\": expected a mapping with hosts, vars or " +
                              "children, found " + kind_of(body));
    std::set<std::string> seen;
    for (const auto& section : body) {
      std::string what = key_text(section.first);
      warn_duplicate(seen, what, section.first, "group \"" + name + "\"");
      if (what == "hosts") {
        parse_hosts(name, section.second);
      } else if (what == "vars") {
        parse_vars(tree_.groups[name].vars, "group \"" + name + "\"", section.second);
      } else if (what == "children") {
        if (!check_mapping(section.second, "group \"" + name + "\": children")) continue;
        std::set<std::string> children;
        for (const auto& child : section.second) {
          warn_duplicate(children, key_text(child.first), child.first, "child group");
          parse_group(key_text(child.first), child.first, child.second, name);
        }
      } else {
        fail(line_of(section.first), "group \"" + name + "\": unknown key \"" + what +
                                         "\" (did you mean \"" +
                                         nearest_name(what, {"hosts", "vars", "children"}) +
                                         "\"?); a group holds only hosts, vars and children");
      }
    }
  }

  // False for an empty section; throws for anything but a mapping.
  bool check_mapping(const YAML::Node& node, const std::string& what) const {
    if (!node || node.IsNull()) return false;
    if (!node.IsMap()) fail(line_of(node), what + ": expected a mapping, found " + kind_of(node));
    return true;
  }

  void parse_hosts(const std::string& group_name, const YAML::Node& hosts) {
    if (!check_mapping(hosts, "group \"" + group_name + "\": hosts")) return;
    std::set<std::string> seen;
    for (const auto& entry : hosts) {
      count_entry(entry.first);
      std::string key = key_text(entry.first);
      warn_duplicate(seen, key, entry.first, "host");
      int line = line_of(entry.first);
      // The yaml plugin expands `node[01:03]` and takes `name:port` as ansible_port.
      HostPattern pattern = expand_host_pattern(key, location(file_, line));
      for (const auto& name : pattern.names) {
        HostDecl& host = ensure_host(tree_, name, file_, line);
        add_group_host(tree_, group_name, name);
        if (!pattern.port.empty())
          host.vars["ansible_port"] = VarDef{YAML::Node(pattern.port), line, file_};
        parse_vars(host.vars, "host \"" + name + "\"", entry.second);
      }
    }
  }

  void parse_vars(VarMap& into, const std::string& owner, const YAML::Node& vars) {
    if (!check_mapping(vars, owner + ": variables")) return;
    std::set<std::string> seen;
    for (const auto& entry : vars) {
      count_entry(entry.first);
      std::string key = key_text(entry.first);
      warn_duplicate(seen, key, entry.first, owner + " variable");
      into[key] = VarDef{entry.second, line_of(entry.first), file_};
    }
  }

  static constexpr long kMaxEntries = 1000000;
  GroupTree& tree_;
  std::string file_;
  long entries_ = 0;
};

// Depth = longest path from `all`; a cycle is an error (Ansible refuses it too).
class TreeFinisher {
 public:
  explicit TreeFinisher(GroupTree& tree) : tree_(tree) {}

  [[noreturn]] void fail(const GroupDecl& g, const std::string& what) const {
    throw InventoryError(location(g.file, g.line) + ": " + what);
  }

  void compute_depths() {
    std::vector<std::string> path;
    std::set<std::string> placed;
    std::function<void(const std::string&, int)> visit = [&](const std::string& name, int depth) {
      if (std::find(path.begin(), path.end(), name) != path.end()) {
        std::string cycle;
        for (const auto& p : path) cycle += p + " -> ";
        fail(tree_.groups[name], "group \"" + name + "\" is its own ancestor (" + cycle + name +
                                     "); remove one of these children links");
      }
      auto& g = tree_.groups[name];
      if (placed.count(name) && depth <= g.depth) return;  // nothing below would change
      placed.insert(name);
      g.depth = depth;
      path.push_back(name);
      for (const auto& child : g.children) visit(child, depth + 1);
      path.pop_back();
    };
    visit("all", 0);
    for (auto& [name, g] : tree_.groups) {
      const VarDef* p = nullptr;
      for (const VarMap* vars : {&g.vars, &g.vars_files})
        if (auto it = vars->find("ansible_group_priority"); it != vars->end()) p = &it->second;
      if (!p) continue;
      try {
        g.priority = p->value.as<int>();
      } catch (const YAML::Exception&) {
        throw InventoryError(p->where() + ": group \"" + name + "\": ansible_group_priority \"" +
                             p->text() + "\" is not an integer");
      }
    }
  }

 private:
  GroupTree& tree_;
};

bool lower_precedence(const GroupDecl* a, const GroupDecl* b) {
  return std::tie(a->depth, a->priority, a->name) < std::tie(b->depth, b->priority, b->name);
}

void add_with_ancestors(const GroupTree& tree, const std::string& name,
                        std::set<std::string>& seen) {
  if (!seen.insert(name).second) return;
  for (const auto& parent : tree.groups.at(name).parents) add_with_ancestors(tree, parent, seen);
}

std::vector<const GroupDecl*> sorted_groups(const GroupTree& tree,
                                            const std::set<std::string>& names) {
  std::vector<const GroupDecl*> out;
  for (const auto& n : names) out.push_back(&tree.groups.at(n));
  std::sort(out.begin(), out.end(), lower_precedence);
  return out;
}

}  // namespace

void add_yaml_inventory(GroupTree& tree, const YAML::Node& root, const std::string& file) {
  TreeParser(tree, file).parse(root);
}

void finish_group_tree(GroupTree& tree) {
  // As Ansible's reconcile_inventory: a group nobody contains is a child of `all`.
  ensure_group(tree, "all", tree.file, 0);
  for (auto& [name, g] : tree.groups)
    if (name != "all" && g.parents.empty()) add_child_group(tree, "all", name);
  TreeFinisher(tree).compute_depths();
}

std::vector<std::string> hosts_of_group(const GroupTree& tree, const std::string& group) {
  std::set<std::string> members, visited;
  std::function<void(const std::string&)> collect = [&](const std::string& name) {
    if (!visited.insert(name).second) return;  // a child shared by several groups: once
    const auto& g = tree.groups.at(name);
    members.insert(g.hosts.begin(), g.hosts.end());
    for (const auto& child : g.children) collect(child);
  };
  collect(group);
  std::vector<std::string> ordered;
  for (const auto& h : tree.host_order)
    if (members.count(h)) ordered.push_back(h);
  return ordered;
}

std::vector<const GroupDecl*> group_with_ancestors(const GroupTree& tree,
                                                   const std::string& group) {
  std::set<std::string> names;
  add_with_ancestors(tree, group, names);
  return sorted_groups(tree, names);
}

std::vector<const GroupDecl*> groups_of_host(const GroupTree& tree, const std::string& host) {
  std::set<std::string> names{"all"};
  for (const auto& [name, g] : tree.groups)
    if (std::find(g.hosts.begin(), g.hosts.end(), host) != g.hosts.end())
      add_with_ancestors(tree, name, names);
  return sorted_groups(tree, names);
}

namespace {

// Ansible's VARIABLE_PRECEDENCE for one entity's groups (lowest first, `all` first):
// the inventory files' vars, then group_vars/all beside the inventory and beside the
// playbook, then every other group's group_vars/ beside the inventory, then beside the
// playbook (ansible/vars/manager.py: all_inventory .. groups_plugins_play).
void apply_group_layers(VarMap& resolved, const std::vector<const GroupDecl*>& groups) {
  auto apply = [&](const VarMap& m) {
    for (const auto& [k, v] : m) resolved[k] = v;
  };
  for (const auto* g : groups) apply(g->vars);
  for (const auto* g : groups)
    if (g->name == "all") {
      apply(g->vars_files);
      apply(g->playbook_vars_files);
    }
  for (const auto* g : groups)
    if (g->name != "all") apply(g->vars_files);
  for (const auto* g : groups)
    if (g->name != "all") apply(g->playbook_vars_files);
}

}  // namespace

VarMap resolve_group_vars(const GroupTree& tree, const std::string& group) {
  VarMap resolved;
  apply_group_layers(resolved, group_with_ancestors(tree, group));
  return resolved;
}

// Then the host's own: inventory files, host_vars/ beside the inventory, beside the playbook.
VarMap resolve_host_vars(const GroupTree& tree, const std::string& host) {
  VarMap resolved;
  apply_group_layers(resolved, groups_of_host(tree, host));
  const HostDecl& h = tree.hosts.at(host);
  for (const VarMap* m : {&h.vars, &h.vars_files, &h.playbook_vars_files})
    for (const auto& [k, v] : *m) resolved[k] = v;
  return resolved;
}

}  // namespace lkr
