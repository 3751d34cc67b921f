#include "inventory/inventory_sources.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "inventory/host_range.h"
#include "inventory/ini_inventory.h"
#include "inventory/inventory.h"
#include "inventory/list_json_inventory.h"
#include "inventory/unresolved_values.h"

namespace lkr {

namespace fs = std::filesystem;

namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> comma_list(const std::string& text, const fs::path& base) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    item = trim(item);
    if (item.empty()) continue;
    if (item[0] == '~' && std::getenv("HOME")) item = std::getenv("HOME") + item.substr(1);
    out.push_back(base.empty() || fs::path(item).is_absolute() ? item : (base / item).string());
  }
  return out;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InventoryError(path + ": cannot read the inventory; check the -i path");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// A `[defaults]` setting of the first config file Ansible would read, and that file's folder
// (relative paths in it are relative to it). Empty when unset.
std::pair<std::string, fs::path> config_default(const std::string& key) {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("ANSIBLE_CONFIG")) candidates.emplace_back(env);
  candidates.emplace_back("ansible.cfg");
  if (const char* home = std::getenv("HOME")) candidates.push_back(fs::path(home) / ".ansible.cfg");
  candidates.emplace_back("/etc/ansible/ansible.cfg");
  for (const auto& cfg : candidates) {
    std::error_code ec;
    if (!fs::is_regular_file(cfg, ec)) continue;
    std::istringstream in(read_bytes(cfg.string()));
    std::string line, section;
    while (std::getline(in, line)) {
      line = trim(line);
      if (line.empty() || line[0] == '#' || line[0] == ';') continue;
      if (line[0] == '[') {
        section = trim(line.substr(1, line.find(']') - 1));
        continue;
      }
      size_t eq = line.find('=');
      if (section == "defaults" && eq != std::string::npos && trim(line.substr(0, eq)) == key)
        return {trim(line.substr(eq + 1)), fs::absolute(cfg).parent_path()};
    }
    return {};  // Ansible reads only the first config file it finds
  }
  return {};
}

// Ansible's host_list inventory: `-i host1,host2:2222,` (a comma, and no such path).
bool is_host_list(const std::string& source) {
  std::error_code ec;
  return source.find(',') != std::string::npos && !fs::exists(source, ec);
}

// The 1-based number of the first line that indents with a TAB, or 0. YAML forbids tabs
// in indentation, and yaml-cpp's message ("end of map not found") does not say so.
int first_tab_indented_line(const std::string& bytes) {
  int line = 1;
  bool at_indent = true;
  for (char c : bytes) {
    if (c == '\n') {
      ++line;
      at_indent = true;
    } else if (at_indent && c == '\t') {
      return line;
    } else if (c != ' ') {
      at_indent = false;
    }
  }
  return 0;
}

YAML::Node parse_yaml(const std::string& bytes, const std::string& path) {
  try {
    return YAML::Load(bytes);
  } catch (const YAML::ParserException& e) {
    if (int tab = first_tab_indented_line(bytes))
      throw InventoryError(path + ":" + std::to_string(tab) +
                           ": a TAB character indents this line; YAML indents with spaces "
                           "only: replace the tab with spaces (yaml-cpp: " +
                           e.msg + ")");
    throw InventoryError(path + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " +
                         e.msg + "; fix the file (an editor with YAML highlighting helps)");
  }
}

bool has_extension(const fs::path& p, std::initializer_list<const char*> exts) {
  std::string ext = p.extension().string();
  return std::any_of(exts.begin(), exts.end(), [&](const char* e) { return ext == e; });
}

// A file without a YAML extension is YAML when it parses as a mapping, else INI (Ansible
// tries its yaml plugin, then its ini plugin).
bool looks_like_yaml(const std::string& bytes) {
  try {
    return YAML::Load(bytes).IsMap();
  } catch (const YAML::Exception&) {
    return false;
  }
}

// Which VarMap a group_vars/ or host_vars/ file goes into.
enum class Layer { inventory_groups, inventory_hosts, playbook_groups, playbook_hosts };

class SourceReader {
 public:
  void source(const std::string& path) {
    std::error_code ec;
    if (is_host_list(path)) {
      host_list(path);
    } else if (fs::is_directory(path, ec)) {
      directory(path);
      vars_dirs_.push_back({path, path});
    } else {
      file(path);
      vars_dirs_.push_back({fs::path(path).parent_path().string(), path});
    }
  }

  // Read last, above the inventories' own group_vars/ and host_vars/ (see group_tree.h).
  void playbook_dir(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
      throw InventoryError("--playbook-dir " + dir +
                           ": no such folder; give the folder of the playbook whose "
                           "group_vars/ and host_vars/ apply");
    out_.tree.playbook_dir = dir;
  }

  InventorySources finish() {
    for (const auto& [dir, source] : vars_dirs_) {
      adjacent(dir, "group_vars", source, Layer::inventory_groups);
      adjacent(dir, "host_vars", source, Layer::inventory_hosts);
    }
    if (!out_.tree.playbook_dir.empty()) {
      std::string first = vars_dirs_.empty() ? out_.tree.playbook_dir : vars_dirs_.front().second;
      adjacent(out_.tree.playbook_dir, "group_vars", first, Layer::playbook_groups);
      adjacent(out_.tree.playbook_dir, "host_vars", first, Layer::playbook_hosts);
    }
    finish_group_tree(out_.tree);
    return std::move(out_);
  }

 private:
  // Ansible skips hidden files, group_vars/host_vars, and INVENTORY_IGNORE_EXTS.
  static bool ignored(const fs::path& p) {
    std::string name = p.filename().string();
    if (name.empty() || name[0] == '.' || name.back() == '~') return true;
    if (name == "group_vars" || name == "host_vars" || name == "vars_plugins") return true;
    return has_extension(p, {".pyc", ".pyo", ".swp", ".bak", ".rpm", ".md", ".txt", ".rst", ".orig",
                             ".ini", ".cfg", ".retry"});
  }

  void directory(const std::string& path) {
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(path)) entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    for (const auto& e : entries) {
      if (ignored(e)) continue;
      if (fs::is_directory(e))
        directory(e.string());
      else
        file(e.string());
    }
  }

  void file(const std::string& path) {
    std::string bytes = read_bytes(path);
    out_.bytes += bytes;
    if (out_.tree.file.empty()) out_.tree.file = path;
    refuse_executable(path, bytes);
    refuse_vault_file(path, bytes);
    fs::path p(path);
    bool yaml = has_extension(p, {".yml", ".yaml", ".json"}) ||
                (!has_extension(p, {".ini"}) && looks_like_yaml(bytes));
    if (!yaml) return ini_file(path, bytes, has_extension(p, {".ini"}));
    YAML::Node root = parse_yaml(bytes, path);
    if (is_inventory_list(root))
      add_inventory_list(out_.tree, root, path);
    else
      add_yaml_inventory(out_.tree, root, path);
  }

  // A file with no extension was YAML to its author as often as INI: when it is neither,
  // both reasons are given.
  void ini_file(const std::string& path, const std::string& bytes, bool named_ini) {
    try {
      add_ini_inventory(out_.tree, bytes, path);
    } catch (const InventoryError& e) {
      if (named_ini) throw;
      try {
        YAML::Load(bytes);
      } catch (const YAML::ParserException& y) {
        throw InventoryError(std::string(e.what()) + " (read as INI; as YAML, line " +
                             std::to_string(y.mark.line + 1) + ": " + y.msg + ")");
      }
      throw;
    }
  }

  // group_vars/NAME[.yml|.yaml|.json] or group_vars/NAME/ (every such file in it).
  void adjacent(const std::string& dir, const char* kind, const std::string& source, Layer layer) {
    fs::path base = fs::path(dir) / kind;
    std::error_code ec;
    if (!fs::is_directory(base, ec)) return;
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(base)) entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    for (const auto& e : entries) {
      std::string name = e.filename().string();
      if (name.empty() || name[0] == '.') continue;
      if (!fs::is_directory(e)) {
        if (has_extension(e, {".yml", ".yaml", ".json"}))
          name = e.stem().string();
        else if (e.has_extension())
          continue;  // Ansible reads only these names
      }
      VarMap* into = target(name, layer);
      if (!into) continue;  // no such group or host in the inventory: Ansible ignores it
      if (fs::is_directory(e))
        vars_folder(e, *into, source);
      else
        vars_file(e.string(), *into, source);
    }
  }

  VarMap* target(const std::string& name, Layer layer) {
    bool playbook = layer == Layer::playbook_groups || layer == Layer::playbook_hosts;
    if (layer == Layer::inventory_groups || layer == Layer::playbook_groups) {
      auto it = out_.tree.groups.find(name);
      if (it == out_.tree.groups.end()) return nullptr;
      return playbook ? &it->second.playbook_vars_files : &it->second.vars_files;
    }
    auto it = out_.tree.hosts.find(name);
    if (it == out_.tree.hosts.end()) return nullptr;
    return playbook ? &it->second.playbook_vars_files : &it->second.vars_files;
  }

  // Each name in `ungrouped`, with `:PORT` as ansible_port, as Ansible's host_list plugin.
  // Its default setup has no ranges there (that is advanced_host_list): they are refused
  // rather than taken as a literal name.
  void host_list(const std::string& text) {
    std::string where = "-i " + text;
    if (out_.tree.file.empty()) out_.tree.file = where;
    out_.bytes += text;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
      item = trim(item);
      if (item.empty()) continue;
      HostPattern p = expand_host_pattern(item, where);
      if (p.names.size() != 1)
        throw InventoryError(where + ": \"" + item +
                             "\" is a host range, which Ansible's default host list does not "
                             "expand; list every name, or put the hosts in an inventory file");
      ensure_group(out_.tree, "ungrouped", where, 0);
      bool known = out_.tree.hosts.count(p.names[0]) > 0;
      HostDecl& h = ensure_host(out_.tree, p.names[0], where, 0);
      add_group_host(out_.tree, "ungrouped", p.names[0]);
      // As Ansible's InventoryData.add_host: the port is set only on a host it creates.
      if (!known && !p.port.empty())
        h.vars["ansible_port"] = VarDef(YAML::Node(std::stoi(p.port)), 0, where);
    }
  }

  void vars_folder(const fs::path& folder, VarMap& into, const std::string& source) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(folder))
      if (e.is_regular_file() && e.path().filename().string()[0] != '.' &&
          (!e.path().has_extension() || has_extension(e.path(), {".yml", ".yaml", ".json"})))
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) vars_file(f.string(), into, source);
  }

  void vars_file(const std::string& path, VarMap& into, const std::string& source) {
    std::string bytes = read_bytes(path);
    out_.bytes += bytes;
    out_.tree.inventory_of[path] = source;
    refuse_vault_file(path, bytes);
    YAML::Node root = parse_yaml(bytes, path);
    if (!root || root.IsNull()) return;
    if (!root.IsMap())
      throw InventoryError(location(path, root.Mark().line + 1) +
                           ": expected a mapping of variables (name: value)");
    std::set<std::string> seen;
    for (const auto& entry : root) {
      std::string key = entry.first.as<std::string>();
      int line = entry.first.Mark().line + 1;
      if (!seen.insert(key).second)
        out_.tree.warnings.push_back(location(path, line) + ": duplicate variable \"" + key +
                                     "\": the last one wins; remove one of them");
      into[key] = VarDef{entry.second, line, path};
    }
  }

  InventorySources out_;
  std::vector<std::pair<std::string, std::string>> vars_dirs_;  // dir, the source it is for
};

}  // namespace

std::vector<std::string> inventory_sources(const std::vector<std::string>& cli) {
  if (!cli.empty()) return cli;
  if (const char* env = std::getenv("ANSIBLE_INVENTORY"); env && *env) return comma_list(env, {});
  if (auto [text, base] = config_default("inventory"); !text.empty()) return comma_list(text, base);
  std::error_code ec;
  if (fs::exists("/etc/ansible/hosts", ec)) return {"/etc/ansible/hosts"};
  throw InventoryError(
      "no inventory: pass -i FILE or DIR (see --help), or set ANSIBLE_INVENTORY, or "
      "`inventory =` under [defaults] in ansible.cfg");
}

std::string playbook_dir_source(const std::string& cli) {
  if (!cli.empty()) return cli;
  if (const char* env = std::getenv("ANSIBLE_PLAYBOOK_DIR"); env && *env) return env;
  auto [text, base] = config_default("playbook_dir");
  if (text.empty()) return "";
  if (text[0] == '~' && std::getenv("HOME")) text = std::getenv("HOME") + text.substr(1);
  return fs::path(text).is_absolute() ? text : (base / text).string();
}

InventorySources read_inventory_sources(const std::vector<std::string>& sources,
                                        const std::string& playbook_dir) {
  SourceReader reader;
  for (const auto& s : sources) reader.source(s);
  if (!playbook_dir.empty()) reader.playbook_dir(playbook_dir);
  return reader.finish();
}

}  // namespace lkr
