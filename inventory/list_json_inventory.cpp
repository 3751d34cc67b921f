#include "inventory/list_json_inventory.h"

#include "inventory/inventory.h"

namespace lkr {

namespace {

int line_of(const YAML::Node& node) { return node.Mark().line + 1; }

class ListReader {
 public:
  ListReader(GroupTree& tree, const std::string& file) : tree_(tree), file_(file) {}

  void read(const YAML::Node& root) {
    ensure_group(tree_, "all", file_, 0);
    for (const auto& entry : root) {
      std::string name = entry.first.as<std::string>();
      if (name == "_meta") continue;
      ensure_group(tree_, name, file_, line_of(entry.first));
    }
    for (const auto& entry : root) {
      std::string name = entry.first.as<std::string>();
      if (name != "_meta") group(name, entry.second);
    }
    YAML::Node hostvars = root["_meta"]["hostvars"];
    if (!hostvars) return;
    expect(hostvars, YAML::NodeType::Map, "_meta.hostvars: expected a mapping of hosts");
    for (const auto& entry : hostvars) {
      std::string name = entry.first.as<std::string>();
      HostDecl& host = ensure_host(tree_, name, file_, line_of(entry.first));
      vars(host.vars, entry.second, "host \"" + name + "\"");
    }
  }

 private:
  void expect(const YAML::Node& node, YAML::NodeType::value type, const std::string& what) {
    if (node.Type() != type) throw InventoryError(location(file_, line_of(node)) + ": " + what);
  }

  void group(const std::string& name, const YAML::Node& body) {
    if (!body || body.IsNull()) return;
    std::string owner = "group \"" + name + "\"";
    expect(body, YAML::NodeType::Map, owner + ": expected a mapping with hosts, children, vars");
    for (const auto& section : body) {
      std::string what = section.first.as<std::string>();
      if (what == "vars") {
        vars(tree_.groups.at(name).vars, section.second, owner);
        continue;
      }
      if (what != "hosts" && what != "children")
        throw InventoryError(location(file_, line_of(section.first)) + ": " + owner +
                             ": unknown key \"" + what + "\"; ansible-inventory --list " +
                             "groups hold only hosts, children and vars");
      expect(section.second, YAML::NodeType::Sequence, owner + ": " + what + ": expected a list");
      for (const auto& item : section.second) {
        std::string member = item.as<std::string>();
        if (what == "hosts") {
          ensure_host(tree_, member, file_, line_of(item));
          add_group_host(tree_, name, member);
        } else {
          ensure_group(tree_, member, file_, line_of(item));
          add_child_group(tree_, name, member);
        }
      }
    }
  }

  void vars(VarMap& into, const YAML::Node& map, const std::string& owner) {
    if (!map || map.IsNull()) return;
    expect(map, YAML::NodeType::Map, owner + ": variables: expected a mapping");
    for (const auto& entry : map)
      into[entry.first.as<std::string>()] = VarDef{entry.second, line_of(entry.first), file_};
  }

  GroupTree& tree_;
  std::string file_;
};

}  // namespace

bool is_inventory_list(const YAML::Node& root) { return root.IsMap() && root["_meta"]; }

void add_inventory_list(GroupTree& tree, const YAML::Node& root, const std::string& file) {
  ListReader(tree, file).read(root);
}

}  // namespace lkr
