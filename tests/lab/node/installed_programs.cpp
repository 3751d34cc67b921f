#include "tests/lab/node/installed_programs.h"

#include <filesystem>

#include "tests/lab/node/text_util.h"

namespace lab {

std::vector<InstalledProgram> installed_programs(const NodeState& s) {
  std::vector<InstalledProgram> out;
  for (const char* name : {"eqv_list", "eqv_remove", "sys_list", "sys_remove", "net_list",
                           "net_remove", "lcdsync", "ins_list", "ins_remove"})
    out.push_back({s.lkroot + "\\Bin\\" + name + ".exe", name});
  out.push_back({s.extmirrbase + "\\emcmd.exe", "emcmd"});
  out.push_back({"C:\\Windows\\system32\\reg.exe", "reg"});
  out.push_back({"C:\\Windows\\system32\\hostname.exe", "hostname"});
  out.push_back({"C:\\Windows\\system32\\chcp.com", "chcp"});
  out.push_back({"C:\\Windows\\system32\\certutil.exe", "certutil"});
  return out;
}

std::vector<std::string> standard_folders(const NodeState& s) {
  return {"C:\\Windows\\Temp",
          "C:\\Windows\\system32",
          "C:\\Windows\\System32\\config\\systemprofile\\AppData\\Local\\Temp",
          s.lkroot + "\\Bin",
          s.lkroot + "\\subsys\\filesys\\resources\\volume",
          s.extmirrbase,
          home_folder(s)};
}

std::string home_folder(const NodeState& s) {
  auto it = s.env.find("USERPROFILE");
  return it != s.env.end() ? it->second : "C:\\Users\\Administrator";
}

std::optional<InstalledProgram> program_at(const NodeState& s, const std::string& windows_path) {
  for (auto& p : installed_programs(s))
    if (iequals(p.windows_path, windows_path)) return p;
  return std::nullopt;
}

bool exists_on_node(const std::string& node_dir, const NodeState& s,
                    const std::string& windows_path) {
  if (program_at(s, windows_path)) return true;
  auto host = host_path(node_dir, windows_path);
  return host && std::filesystem::exists(*host);
}

}  // namespace lab
