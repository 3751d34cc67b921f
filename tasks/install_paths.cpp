#include "tasks/install_paths.h"

#include "tasks/assumed_formats.h"
#include "tasks/parsers/text_lines.h"

namespace lkr::tasks {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string node_value(const std::map<std::string, std::string>& env, std::string_view name) {
  auto it = env.find(upper(name));
  return it == env.end() ? "" : trim(it->second);
}

// The inventory's value where it sets one (noting a difference), else the node's.
std::string choose(bool given, const std::string& inventory, const std::string& node,
                   std::string_view variable, const char* inventory_name,
                   std::vector<std::string>& notices) {
  if (!given) return node;
  if (!node.empty() && !same_system(node, inventory))
    notices.push_back("the inventory's " + std::string(inventory_name) + " (" + inventory +
                      ") differs from the node's %" + std::string(variable) + "% (" + node +
                      "): using the inventory's");
  return inventory;
}

}  // namespace

InstallPaths resolve_install_paths(const Host& host,
                                   const std::map<std::string, std::string>& env) {
  InstallPaths p;
  p.lk_root = choose(host.lk_root_given, host.lk_root, node_value(env, assumed::kLkRootVar),
                     assumed::kLkRootVar, "lk_root", p.notices);
  if (p.lk_root.empty()) {
    p.refusal =
        "%LKROOT% is not set on the node (LifeKeeper sets it when installed): is LifeKeeper "
        "for Windows installed? Set lk_root in the inventory to name its folder";
    return p;
  }
  std::string node_bin = node_value(env, assumed::kLkBinVar);
  p.lk_bin =
      choose(host.lk_bin_given, host.lk_bin, node_bin, assumed::kLkBinVar, "lk_bin", p.notices);
  if (p.lk_bin.empty()) p.lk_bin = assumed::lifekeeper_bin(p.lk_root);
  p.extmirrbase = choose(host.dk_extmirrbase_given, host.dk_extmirrbase,
                         node_value(env, assumed::kExtMirrBaseVar), assumed::kExtMirrBaseVar,
                         "dk_extmirrbase", p.notices);
  return p;
}

std::vector<std::string> emcmd_folders(const std::string& extmirrbase) {
  std::vector<std::string> out;
  if (!extmirrbase.empty()) out.push_back(extmirrbase);
  for (std::string_view standard : assumed::kDataKeeperFolders)
    if (!same_system(standard, extmirrbase)) out.emplace_back(standard);
  return out;
}

}  // namespace lkr::tasks
