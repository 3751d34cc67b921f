#include "tasks/assumed_formats.h"

namespace lkr::tasks::assumed {
namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Joins a Windows folder and a name with exactly one backslash.
std::string join_path(std::string_view folder, std::string_view name) {
  std::string out(folder);
  if (!out.empty() && out.back() != '\\') out += '\\';
  out += name;
  return out;
}

}  // namespace

std::string field_separator_flag() { return std::string("-f") + kFieldSeparator; }

bool in_service(std::string_view resource_state) {
  return resource_state.find("ISP") != std::string_view::npos;
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

std::string job_backup_path(std::string_view job_id) {
  return "C:\\Windows\\Temp\\lkrecover-" + std::string(job_id) + ".reg";
}

std::string lifekeeper_program(std::string_view lk_root, std::string_view name) {
  return join_path(join_path(lk_root, "Bin"), std::string(name) + ".exe");
}

std::string emcmd_program(std::string_view extmirrbase) {
  return join_path(extmirrbase, "emcmd.exe");
}

std::string lkdrinfo_path(std::string_view lk_root, std::string_view volume) {
  return join_path(lk_root, "subsys\\filesys\\resources\\volume\\LKDRInfo." + std::string(volume));
}

bool is_drive_letter(std::string_view volume) {
  return volume.size() == 1 &&
         ((volume[0] >= 'A' && volume[0] <= 'Z') || (volume[0] >= 'a' && volume[0] <= 'z'));
}

}  // namespace lkr::tasks::assumed
