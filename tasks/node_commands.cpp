#include "tasks/node_commands.h"

#include "tasks/assumed_formats.h"

namespace lkr::tasks::commands {
namespace {

Command lifekeeper(const Host& host, const char* name, std::vector<std::string> args) {
  return program(assumed::lifekeeper_program(host.lk_bin, name), std::move(args));
}

Command emcmd(const Host& host, const char* verb, const std::string& volume) {
  return program(assumed::emcmd_program(host.dk_extmirrbase), {".", verb, volume});
}

// An LCD listing: an empty one may exit 7 (E13, UNKNOWN which).
Command listing(Command c, std::string record) {
  c.answer_codes = {assumed::kLcdNoSuchObject};
  c.record = std::move(record);
  return c;
}

Command windows(const Host& host, std::string_view tool, std::vector<std::string> args) {
  return program(assumed::windows_tool(host.system_root, tool), std::move(args));
}

Command recorded(Command c, std::string record) {
  c.record = std::move(record);
  return c;
}

// "E:" and "E" name one volume: its snapshots are named by the letter alone.
std::string volume_label(const std::string& volume) {
  return !volume.empty() && volume.back() == ':' ? volume.substr(0, volume.size() - 1) : volume;
}

}  // namespace

Command hostname(const Host& host) {
  return recorded(windows(host, assumed::kHostnameTool, {}), "system/hostname.txt");
}
Command chcp(const Host& host) {
  return recorded(windows(host, assumed::kChcpTool, {}), "system/codepage.txt");
}
// cmd's `set PREFIX` exits 1 when no variable starts with PREFIX.
Command show_environment(const std::string& prefix) {
  Command c = recorded(builtin("set", {prefix}), "system/environment-" + prefix + ".txt");
  c.answer_codes = {1};
  return c;
}

// runbook §1, E1/E2: -f with the separator.
Command eqv_list(const Host& host) {
  return listing(lifekeeper(host, "eqv_list", {assumed::field_separator_flag()}),
                 "equivalencies/eqv_list.txt");
}
Command sys_list(const Host& host) {
  return recorded(lifekeeper(host, "sys_list", {}), "systems/sys_list.txt");
}
Command net_list(const Host& host) {
  return listing(lifekeeper(host, "net_list", {assumed::field_separator_flag()}),
                 "comm_paths/net_list.txt");
}
Command ins_list(const Host& host) {
  return listing(lifekeeper(host, "ins_list", {assumed::field_separator_flag()}),
                 "resources/ins_list.txt");
}

Command getjobinfoforvol(const Host& host, const std::string& volume) {
  return recorded(emcmd(host, "getjobinfoforvol", volume),
                  "datakeeper/volume-" + volume_label(volume) + "-jobs.txt");
}
Command getmirrorvolinfo(const Host& host, const std::string& volume) {
  Command c = recorded(emcmd(host, "getmirrorvolinfo", volume),  // E10
                       "datakeeper/volume-" + volume_label(volume) + "-mirrors.txt");
  c.answer_codes = {assumed::kStatusNotMirrored};  // E12: not mirrored
  return c;
}

Command file_exists(const std::string& path) {
  Command c{CommandKind::if_exist, "if exist", {}};
  c.args.push_back(Arg{path, false});
  return c;
}
Command lkdrinfo_exists(const Host& host, const std::string& volume) {
  return recorded(file_exists(assumed::lkdrinfo_path(host.lk_root, volume)),
                  "lkdrinfo/volume-" + volume_label(volume) + "-present.txt");
}

Command reg_query_jobs(const Host& host) {
  Command c = windows(host, assumed::kRegTool, {"query", std::string(assumed::kJobsKey), "/s"});
  c.answer_codes = {1};  // no Jobs key: DataKeeper never made a job
  c.record = "datakeeper/registry-jobs.txt";
  return c;
}
Command reg_export_job(const Host& host, const std::string& job_id) {
  return windows(host, assumed::kRegTool,
                 {"export", assumed::job_key(job_id),
                  assumed::job_backup_path(host.system_root, job_id), "/y"});
}
Command certutil_hashfile(const Host& host, const std::string& path) {
  return windows(host, assumed::kCertutilTool,
                 {"-hashfile", path, std::string(assumed::kHashAlgorithm)});
}
Command certutil_encode(const Host& host, const std::string& in, const std::string& out) {
  return windows(host, assumed::kCertutilTool, {"-f", "-encode", in, out});
}
Command type_file(const std::string& path) { return builtin("type", {path}); }
Command del_file(const std::string& path) { return builtin("del", {path}); }

Command eqv_remove(const Host& host, const std::string& local, const std::string& system,
                   const std::string& tag, const std::string& other_system,
                   const std::string& other_tag, const std::string& type) {
  // runbook §2; -o is marked required by the synopsis though the sample leaves it out;
  // -d as eqv_create takes it (E3).
  return lifekeeper(
      host, "eqv_remove",
      {"-d", local, "-s", system, "-t", tag, "-S", other_system, "-o", other_tag, "-e", type});
}
Command del_lkdrinfo(const Host& host, const std::string& volume) {
  return del_file(assumed::lkdrinfo_path(host.lk_root, volume));
}
Command reg_delete_job(const Host& host, const std::string& job_id) {
  return windows(host, assumed::kRegTool, {"delete", assumed::job_key(job_id), "/f"});
}
Command deletelocalmirroronly(const Host& host, const std::string& volume) {
  return emcmd(host, "deletelocalmirroronly", volume);
}
Command clearswitchover(const Host& host, const std::string& volume) {
  return emcmd(host, "clearswitchover", volume);
}
Command sys_remove(const Host& host, const std::string& local, const std::string& system) {
  return lifekeeper(host, "sys_remove", {"-d", local, "-s", system});  // runbook §6, E3
}
Command net_remove(const Host& host, const std::string& local, const std::string& other_system,
                   const std::string& device, const std::string& remote_address,
                   const std::string& local_address) {
  // E3 (net_create's identifying flags), E4: -s names the OTHER system; there is no -S.
  return lifekeeper(
      host, "net_remove",
      {"-d", local, "-s", other_system, "-D", device, "-r", remote_address, "-l", local_address});
}
Command lcdsync(const Host& host, const std::string& local) {
  return lifekeeper(host, "lcdsync", {"-d", local});  // runbook §8, E3
}
Command ins_remove(const Host& host, const std::string& local, const std::string& tag) {
  return lifekeeper(host, "ins_remove", {"-d", local, "-t", tag});
}

}  // namespace lkr::tasks::commands
