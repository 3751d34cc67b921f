#include "tasks/assumed_formats.h"

#include <algorithm>
#include <cctype>

namespace lkr::tasks::assumed {
namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// Joins a Windows folder and a name with exactly one backslash.
std::string join_path(std::string_view folder, std::string_view name) {
  std::string out(folder);
  if (!out.empty() && out.back() != '\\') out += '\\';
  out += name;
  return out;
}

}  // namespace

std::string field_separator_flag() { return std::string("-f") + kFieldSeparator; }

bool is_resource_state(std::string_view state) {
  return std::find(kResourceStates.begin(), kResourceStates.end(), state) != kResourceStates.end();
}

bool in_service(std::string_view resource_state) {
  return resource_state == "ISP" || resource_state == "ISU";
}

std::optional<std::string> drive_of_volume_id(std::string_view id) {
  if (id.size() == 2 && id[1] == ':') id.remove_suffix(1);
  if (!is_drive_letter(id)) return std::nullopt;
  return std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(id[0]))));
}

bool is_drive_letter(std::string_view volume) { return volume.size() == 1 && is_letter(volume[0]); }

bool is_device(std::string_view field) {
  constexpr std::string_view prefix = "TCPIP:";
  if (field.size() <= prefix.size() || field.substr(0, prefix.size()) != prefix) return false;
  return std::all_of(field.begin() + prefix.size(), field.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

bool is_job_id(std::string_view id) {
  // 8-4-4-4-12 hexadecimal digits.
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_here ? id[i] != '-' : !is_hex(id[i])) return false;
  }
  return true;
}

std::string job_key(std::string_view job_id) { return join_path(kJobsKey, job_id); }

std::string job_backup_path(std::string_view system_root, std::string_view job_id) {
  return join_path(join_path(system_root, "System32\\config\\systemprofile\\AppData\\Local\\Temp"),
                   "lkrecover-" + std::string(job_id) + ".reg");
}

std::string encoded_copy_path(std::string_view file) { return std::string(file) + ".b64"; }

std::string windows_tool(std::string_view system_root, std::string_view file) {
  return join_path(join_path(system_root, "System32"), file);
}

std::string lifekeeper_bin(std::string_view lk_root) { return join_path(lk_root, "Bin"); }

std::string lifekeeper_program(std::string_view lk_bin, std::string_view name) {
  return join_path(lk_bin, std::string(name) + ".exe");
}

std::string emcmd_program(std::string_view extmirrbase) {
  return join_path(extmirrbase, "emcmd.exe");
}

std::string lkdrinfo_path(std::string_view lk_root, std::string_view volume) {
  return join_path(lk_root, "subsys\\filesys\\resources\\volume\\LKDRInfo." + std::string(volume));
}

}  // namespace lkr::tasks::assumed
