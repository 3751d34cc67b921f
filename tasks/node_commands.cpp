#include "tasks/node_commands.h"

#include "tasks/assumed_formats.h"

namespace lkr::tasks::commands {
namespace {

Command lifekeeper(const Host& host, const char* name, std::vector<std::string> args) {
  return program(assumed::lifekeeper_program(host.lk_root, name), std::move(args));
}

Command emcmd(const Host& host, const char* verb, const std::string& volume) {
  return program(assumed::emcmd_program(host.dk_extmirrbase), {".", verb, volume});
}

}  // namespace

Command hostname() { return builtin("hostname", {}); }
Command chcp() { return builtin("chcp", {}); }

Command eqv_list(const Host& host) {
  return lifekeeper(host, "eqv_list", {assumed::field_separator_flag()});
}
Command sys_list(const Host& host) { return lifekeeper(host, "sys_list", {}); }
Command net_list(const Host& host) {
  return lifekeeper(host, "net_list", {assumed::field_separator_flag()});
}
Command ins_list(const Host& host) {
  return lifekeeper(host, "ins_list", {assumed::field_separator_flag()});
}

Command getjobinfoforvol(const Host& host, const std::string& volume) {
  return emcmd(host, "getjobinfoforvol", volume);
}
Command getmirrorvolinfo(const Host& host, const std::string& volume) {
  return emcmd(host, "getmirrorvolinfo", volume);
}

Command lkdrinfo_exists(const Host& host, const std::string& volume) {
  Command c{CommandKind::if_exist, "if exist", {}};
  c.args.push_back(Arg{assumed::lkdrinfo_path(host.lk_root, volume), false});
  return c;
}

Command reg_query_jobs() {
  return program(std::string(assumed::kRegProgram), {"query", std::string(assumed::kJobsKey)});
}
Command reg_export_job(const std::string& job_id) {
  return program(std::string(assumed::kRegProgram),
                 {"export", assumed::job_key(job_id), assumed::job_backup_path(job_id), "/y"});
}
Command type_file(const std::string& path) { return builtin("type", {path}); }

Command eqv_remove(const Host& host, const std::string& system, const std::string& tag,
                   const std::string& other_system, const std::string& other_tag,
                   const std::string& type) {
  // RUNBOOK §2: -o is marked required by the synopsis though the sample leaves it out.
  return lifekeeper(host, "eqv_remove",
                    {"-s", system, "-t", tag, "-S", other_system, "-o", other_tag, "-e", type});
}
Command del_lkdrinfo(const Host& host, const std::string& volume) {
  return builtin("del", {assumed::lkdrinfo_path(host.lk_root, volume)});
}
Command reg_delete_job(const std::string& job_id) {
  return program(std::string(assumed::kRegProgram), {"delete", assumed::job_key(job_id), "/f"});
}
Command deletelocalmirroronly(const Host& host, const std::string& volume) {
  return emcmd(host, "deletelocalmirroronly", volume);
}
Command clearswitchover(const Host& host, const std::string& volume) {
  return emcmd(host, "clearswitchover", volume);
}
Command sys_remove(const Host& host, const std::string& system) {
  return lifekeeper(host, "sys_remove", {"-s", system});
}
Command net_remove(const Host& host, const std::string& system, const std::string& other_system,
                   const std::string& local_address, const std::string& remote_address) {
  return lifekeeper(host, "net_remove",
                    {"-s", system, "-S", other_system, "-l", local_address, "-r", remote_address});
}
Command lcdsync(const Host& host) { return lifekeeper(host, "lcdsync", {}); }
Command ins_remove(const Host& host, const std::string& tag) {
  return lifekeeper(host, "ins_remove", {"-t", tag});
}

}  // namespace lkr::tasks::commands
