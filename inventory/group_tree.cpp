#include "inventory/group_tree.h"

#include <algorithm>
#include <functional>

#include "inventory/edit_distance.h"
#include "inventory/inventory.h"

namespace lkr {

std::string VarDef::text() const {
  if (!value || value.IsNull()) return "";
  if (value.IsScalar()) return value.Scalar();
  YAML::Emitter out;
  out << YAML::Flow << value;
  return out.c_str();
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
  explicit TreeParser(const std::string& file) { tree_.file = file; }

  GroupTree parse(const YAML::Node& root) {
    if (!root || root.IsNull()) fail(1, "the inventory is empty; define groups under `all:`");
    if (!root.IsMap())
      fail(line_of(root),
           std::string("expected a mapping of groups (all: ...), found ") + kind_of(root));
    group("all", 0);
    for (const auto& entry : root) {
      std::string name = key_text(entry.first);
      parse_group(name, entry.first, entry.second, name == "all" ? "" : "all");
    }
    compute_depths();
    return std::move(tree_);
  }

 private:
  [[noreturn]] void fail(int line, const std::string& what) const {
    throw InventoryError(tree_.file + ":" + std::to_string(line) + ": " + what);
  }

  std::string key_text(const YAML::Node& key) const {
    if (!key.IsScalar()) fail(line_of(key), "a name must be a plain string");
    return key.Scalar();
  }

  GroupDecl& group(const std::string& name, int line) {
    auto [it, inserted] = tree_.groups.try_emplace(name);
    if (inserted) {
      it->second.name = name;
      it->second.line = line;
      tree_.group_order.push_back(name);
    }
    return it->second;
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
    group(name, line_of(key));
    if (!parent.empty()) {
      tree_.groups[parent].children.insert(name);
      tree_.groups[name].parents.insert(parent);
    }
    if (!body || body.IsNull()) return;
    if (!body.IsMap())
      fail(line_of(body), "group \"" + name + "\": expected a mapping with hosts, vars or " +
                              "children, found " + kind_of(body));
    for (const auto& section : body) {
      std::string what = key_text(section.first);
      if (what == "hosts") {
        parse_hosts(name, section.second);
      } else if (what == "vars") {
        parse_vars(tree_.groups[name].vars, "group \"" + name + "\"", section.second);
      } else if (what == "children") {
        if (!check_mapping(section.second, "group \"" + name + "\": children")) continue;
        for (const auto& child : section.second)
          parse_group(key_text(child.first), child.first, child.second, name);
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
    for (const auto& entry : hosts) {
      count_entry(entry.first);
      std::string name = key_text(entry.first);
      auto [it, inserted] = tree_.hosts.try_emplace(name);
      if (inserted) {
        it->second.name = name;
        it->second.line = line_of(entry.first);
        tree_.host_order.push_back(name);
      }
      auto& own = tree_.groups[group_name].hosts;
      if (std::find(own.begin(), own.end(), name) == own.end()) own.push_back(name);
      parse_vars(it->second.vars, "host \"" + name + "\"", entry.second);
    }
  }

  void parse_vars(VarMap& into, const std::string& owner, const YAML::Node& vars) {
    if (!check_mapping(vars, owner + ": variables")) return;
    for (const auto& entry : vars) {
      count_entry(entry.first);
      into[key_text(entry.first)] = VarDef{entry.second, line_of(entry.first)};
    }
  }

  // Depth = longest path from `all`; a cycle is an error (Ansible refuses it too).
  void compute_depths() {
    std::vector<std::string> path;
    std::set<std::string> placed;
    std::function<void(const std::string&, int)> visit = [&](const std::string& name, int depth) {
      if (std::find(path.begin(), path.end(), name) != path.end()) {
        std::string cycle;
        for (const auto& p : path) cycle += p + " -> ";
        fail(tree_.groups[name].line, "group \"" + name + "\" is its own ancestor (" + cycle +
                                          name + "); remove one of these children links");
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
      auto it = g.vars.find("ansible_group_priority");
      if (it == g.vars.end()) continue;
      try {
        g.priority = it->second.value.as<int>();
      } catch (const YAML::Exception&) {
        fail(it->second.line, "group \"" + name + "\": ansible_group_priority \"" +
                                  it->second.text() + "\" is not an integer");
      }
    }
  }

  static constexpr long kMaxEntries = 1000000;
  GroupTree tree_;
  long entries_ = 0;
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

GroupTree parse_group_tree(const YAML::Node& root, const std::string& file) {
  return TreeParser(file).parse(root);
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

VarMap resolve_group_vars(const GroupTree& tree, const std::string& group) {
  VarMap resolved;
  for (const auto* g : group_with_ancestors(tree, group))
    for (const auto& [k, v] : g->vars) resolved[k] = v;
  return resolved;
}

VarMap resolve_host_vars(const GroupTree& tree, const std::string& host) {
  VarMap resolved;
  for (const auto* g : groups_of_host(tree, host))
    for (const auto& [k, v] : g->vars) resolved[k] = v;
  for (const auto& [k, v] : tree.hosts.at(host).vars) resolved[k] = v;
  return resolved;
}

}  // namespace lkr
