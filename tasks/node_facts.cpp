#include "tasks/node_facts.h"

#include "tasks/assumed_formats.h"
#include "tasks/node_commands.h"
#include "tasks/parsers/datakeeper_output.h"
#include "tasks/parsers/lifekeeper_lists.h"
#include "tasks/parsers/text_lines.h"
#include "tasks/parsers/windows_output.h"

namespace lkr::tasks {
namespace {

constexpr const char* kStep = "facts";

std::string first_line(const std::string& text) {
  std::vector<std::string> lines = split_lines(text);
  for (const auto& l : lines)
    if (!trim(l).empty()) return quote_line(trim(l));
  return "";
}

std::string failure_text(const std::string& what, const CommandResult& r) {
  std::string why = first_line(r.stderr_utf8);
  if (why.empty()) why = first_line(r.stdout_utf8);
  return what + " exited with code " + std::to_string(r.exit_code) +
         (why.empty() ? "" : ": " + why);
}

// Runs a read and insists it succeeded: a failed read leaves the facts unknown.
CommandResult read_ok(const ReadFn& read, const Command& c, const std::string& what) {
  CommandResult r = read(kStep, c);
  if (r.exit_code != 0) throw OddOutput(failure_text(what, r));
  if (r.truncated) throw OddOutput(what + ": output was cut off (too long)");
  return r;
}

// The drive letters of the volume resources, each once (in ins_list order).
std::vector<std::string> volumes_of(const std::vector<Resource>& resources,
                                    std::vector<std::string>& notes) {
  std::vector<std::string> volumes;
  for (const Resource& r : resources) {
    if (r.app != assumed::kVolumeApp || r.type != assumed::kVolumeType) continue;
    if (!assumed::is_drive_letter(r.id)) {
      notes.push_back("volume resource " + r.tag + " (id " + r.id +
                      ") is not a drive letter: its DataKeeper state was not read");
      continue;
    }
    bool seen = false;
    for (const auto& v : volumes) seen = seen || same_system(v, r.id);
    if (!seen) volumes.push_back(r.id);
  }
  return volumes;
}

VolumeFacts read_volume(const Host& host, const ReadFn& read, const std::string& volume) {
  VolumeFacts v;
  v.volume = volume;
  v.jobs = parse_job_info(
      read_ok(read, commands::getjobinfoforvol(host, volume), "emcmd getjobinfoforvol " + volume)
          .stdout_utf8);
  v.mirrors = parse_mirror_info(
      read_ok(read, commands::getmirrorvolinfo(host, volume), "emcmd getmirrorvolinfo " + volume)
          .stdout_utf8);
  v.lkdrinfo_present = parse_if_exist(
      read_ok(read, commands::lkdrinfo_exists(host, volume), "if exist LKDRInfo." + volume)
          .stdout_utf8);
  return v;
}

}  // namespace

NodeFacts gather_facts(const Host& host, const ReadFn& read) {
  NodeFacts f;
  f.local_system = parse_hostname(read_ok(read, commands::hostname(), "hostname").stdout_utf8);
  CommandResult systems = read(kStep, commands::sys_list(host));
  if (systems.exit_code != 0) {
    f.lifekeeper_problem = failure_text("sys_list", systems);
    return f;
  }
  if (systems.truncated) throw OddOutput("sys_list: output was cut off (too long)");
  f.lifekeeper_answers = true;
  f.systems = parse_sys_list(systems.stdout_utf8);
  const char sep = assumed::kFieldSeparator;
  f.equivalencies =
      parse_eqv_list(read_ok(read, commands::eqv_list(host), "eqv_list").stdout_utf8, sep);
  f.comm_paths =
      parse_net_list(read_ok(read, commands::net_list(host), "net_list").stdout_utf8, sep);
  f.resources =
      parse_ins_list(read_ok(read, commands::ins_list(host), "ins_list").stdout_utf8, sep);
  for (const std::string& volume : volumes_of(f.resources, f.notes))
    f.volumes.push_back(read_volume(host, read, volume));
  return f;
}

const VolumeFacts* find_volume(const NodeFacts& facts, const std::string& volume) {
  for (const auto& v : facts.volumes)
    if (same_system(v.volume, volume)) return &v;
  return nullptr;
}

}  // namespace lkr::tasks
