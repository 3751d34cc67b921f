#include "tasks/steps/snapshot.h"

#include <set>

#include "tasks/assumed_formats.h"
#include "tasks/node_commands.h"
#include "tasks/parsers/text_lines.h"
#include "tasks/parsers/windows_output.h"
#include "tasks/replaced_refs.h"

namespace lkr::tasks::snapshot {

std::vector<Command> listings(const NodeFacts& f, const Host& host) {
  std::vector<Command> out{commands::eqv_list(host), commands::sys_list(host),
                           commands::net_list(host), commands::ins_list(host),
                           commands::reg_query_jobs(host)};
  for (const VolumeFacts& v : f.volumes) out.push_back(commands::getjobinfoforvol(host, v.volume));
  return out;
}

namespace {

// A partial backup is no backup: the job stays until a whole one is saved.
std::optional<std::string> backup_complete(const CommandResult& r) {
  if (r.exit_code != 0) return "type exited with code " + std::to_string(r.exit_code);
  if (r.truncated) return std::string("the backup was cut off (raise --max-output)");
  if (trim(r.stdout_utf8).empty()) return std::string("the backup file is empty");
  return std::nullopt;
}

// `del` keeps errorlevel 0 when it finds nothing (cmd): `if exist` tells whether the
// backup is really gone.
std::optional<std::string> backup_removed(const CommandResult& r) {
  try {
    if (!parse_if_exist(r.stdout_utf8)) return std::nullopt;
    return std::string("the backup file is still on the node after del");
  } catch (const OddOutput& e) {
    return std::string(e.what());
  }
}

}  // namespace

std::vector<Action> plan(const NodeFacts& f, const Host& host, const std::string& replaced) {
  std::vector<Action> actions;
  std::set<std::string> seen;  // a job naming two local volumes is backed up once
  for (const VolumeFacts& v : f.volumes)
    for (const Job& j : v.jobs) {
      if (!names_replaced(j, replaced) || !seen.insert(j.id).second) continue;
      std::string backup = assumed::job_backup_path(host.system_root, j.id);
      actions.push_back(
          Action{kStep,
                 StepKind::read_only,
                 commands::reg_export_job(host, j.id),
                 "back up DataKeeper job " + j.id + " (volume " + v.volume + ") to " + backup,
                 {}});
      Action save{kStep, StepKind::read_only, commands::type_file(backup),
                  "save the registry backup of job " + j.id + " in the audit folder",
                  backup_complete};
      save.save_as = "datakeeper/job-" + j.id + ".reg";  // named by its object, not its argv
      actions.push_back(save);
      // The copy in the audit folder is the backup: none is left on the node, so no later
      // run finds an old one (and `reg export /y` overwrites whatever is there before the
      // `type` above reads it). Our own temporary file, not cluster state: read_only.
      actions.push_back(Action{kStep,
                               StepKind::read_only,
                               commands::del_file(backup),
                               "remove the node's copy of job " + j.id + "'s backup",
                               {}});
      actions.push_back(Action{kStep, StepKind::read_only, commands::file_exists(backup),
                               "check that no copy of the backup stays on the node",
                               backup_removed});
    }
  return actions;
}

}  // namespace lkr::tasks::snapshot
