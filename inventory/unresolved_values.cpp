#include "inventory/unresolved_values.h"

#include <sys/stat.h>

#include "inventory/inventory.h"

namespace lkr {

namespace {

std::string shell_quoted(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789_-./+,:@") == std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string advice(const std::string& file) {
  return "; lkrecover does not run Ansible: write the inventory out with `" +
         resolve_command(file) + "` and pass -i resolved.yml";
}

// ansible-inventory writes templates and vault values out unchanged: the admin puts the
// plain value in.
std::string value_advice(const std::string& file, const std::string& playbook_dir) {
  return "; lkrecover does not run Ansible: write the inventory out with `" +
         resolve_command(file, playbook_dir) +
         "`, put the plain value in place of this one (ansible-inventory keeps templates and "
         "vault values as they are), and pass -i resolved.yml";
}

// Why the value cannot be taken as it is, or "" when it can.
std::string unresolved_reason(const YAML::Node& value) {
  if (value.Tag() == "!vault") return "is vault-encrypted (!vault)";
  if (value.IsScalar()) {
    const std::string& s = value.Scalar();
    if (s.rfind("$ANSIBLE_VAULT;", 0) == 0) return "is vault-encrypted ($ANSIBLE_VAULT)";
    if (s.find("{{") != std::string::npos || s.find("{%") != std::string::npos)
      return "is a Jinja template, which only Ansible evaluates";
    return "";
  }
  if (value.IsSequence())
    for (const auto& item : value)
      if (auto why = unresolved_reason(item); !why.empty()) return why;
  if (value.IsMap())
    for (const auto& entry : value)
      if (auto why = unresolved_reason(entry.second); !why.empty()) return why;
  return "";
}

}  // namespace

std::string resolve_command(const std::string& file, const std::string& playbook_dir) {
  return "ansible-inventory -i " + shell_quoted(file) +
         (playbook_dir.empty() ? "" : " --playbook-dir " + shell_quoted(playbook_dir)) +
         " --list --export -y > resolved.yml";
}

void refuse_executable(const std::string& file, const std::string& bytes) {
  struct stat st {};
  bool executable = ::stat(file.c_str(), &st) == 0 && (st.st_mode & 0111) != 0;
  if (executable || bytes.rfind("#!", 0) == 0)
    throw InventoryError(location(file, 1) + ": " +
                         (executable ? "the file is executable" : "the file starts with #!") +
                         ": a dynamic inventory script, which only Ansible runs" + advice(file));
}

void refuse_vault_file(const std::string& file, const std::string& bytes) {
  if (bytes.rfind("$ANSIBLE_VAULT;", 0) == 0)
    throw InventoryError(location(file, 1) + ": the file is vault-encrypted" + advice(file));
}

void refuse_unresolved_value(const GroupTree& tree, const std::string& name, const VarDef& def,
                             const std::string& owner) {
  auto why = unresolved_reason(def.value);
  if (why.empty()) return;
  auto source = tree.inventory_of.find(def.file);
  throw InventoryError(def.where() + ": " + owner + ": " + name + " " + why +
                       value_advice(source == tree.inventory_of.end() ? def.file : source->second,
                                    tree.playbook_dir));
}

}  // namespace lkr
