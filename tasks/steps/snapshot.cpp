#include "tasks/steps/snapshot.h"

#include <memory>
#include <set>

#include "tasks/assumed_formats.h"
#include "tasks/node_commands.h"
#include "tasks/parsers/certutil_output.h"
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

// The digest certutil -hashfile printed on the node, handed from the action that reads it
// to the one that checks the copy against it (they run in order on one node).
using NodeDigest = std::shared_ptr<std::optional<std::string>>;

ResultCheck reads_digest_into(NodeDigest digest) {
  return [digest](const CommandResult& r) -> std::optional<std::string> {
    if (r.exit_code != 0) return failure_text(r.exit_code, r.stderr_utf8, r.stdout_utf8);
    try {
      *digest = parse_hashfile_sha256(r.stdout_utf8);
      return std::nullopt;
    } catch (const OddOutput& e) {
      return std::string(e.what());
    }
  };
}

// A partial copy is no copy: the job stays until a whole one is saved. Its bytes are then
// checked against the node's digest by the controller (Action::node_sha256).
std::optional<std::string> copy_complete(const CommandResult& r) {
  if (r.exit_code != 0) return "type exited with code " + std::to_string(r.exit_code);
  if (r.truncated) return std::string("the backup was cut off (raise --max-output)");
  try {
    parse_encoded_file(r.stdout_utf8);
    return std::nullopt;
  } catch (const OddOutput& e) {
    return std::string(e.what());
  }
}

// `del` keeps errorlevel 0 when it finds nothing (cmd): `if exist` tells whether the
// file is really gone.
ResultCheck removed(const std::string& path) {
  return [path](const CommandResult& r) -> std::optional<std::string> {
    try {
      if (!parse_if_exist(r.stdout_utf8)) return std::nullopt;
      return path + " is still on the node after del";
    } catch (const OddOutput& e) {
      return std::string(e.what());
    }
  };
}

Action read_only(Command c, std::string description, ResultCheck check = {}) {
  return Action{kStep, StepKind::read_only, std::move(c), std::move(description), std::move(check)};
}

// The actions that copy one job's registry backup into the audit folder, byte for byte
// (assumed_formats.h: reg export, certutil -hashfile, certutil -f -encode, type), and
// then leave no file of it on the node. Our own temporary files, not cluster state:
// read_only. `reg export /y` and `certutil -f` overwrite whatever an earlier run left,
// and the digest is taken of the fresh export, so no run trusts an old file.
struct JobBackup {
  std::vector<Action> copy, cleanup;
};

JobBackup copy_job_backup(const Host& host, const std::string& job_id, const std::string& volume) {
  const std::string backup = assumed::job_backup_path(host.system_root, job_id);
  const std::string encoded = assumed::encoded_copy_path(backup);
  auto digest = std::make_shared<std::optional<std::string>>();
  Action save = read_only(commands::type_file(encoded),
                          "save the registry backup of job " + job_id +
                              " in the audit folder, its SHA-256 checked against the node's",
                          copy_complete);
  save.save_as = "datakeeper/job-" + job_id + ".reg";  // named by its object, not its argv
  save.node_sha256 = [digest] { return *digest; };
  JobBackup b;
  b.copy = {
      read_only(commands::reg_export_job(host, job_id),
                "back up DataKeeper job " + job_id + " (volume " + volume + ") to " + backup),
      read_only(commands::certutil_hashfile(host, backup),
                "read the SHA-256 of job " + job_id + "'s backup on the node",
                reads_digest_into(digest)),
      read_only(commands::certutil_encode(host, backup, encoded),
                "encode job " + job_id + "'s backup as base64 text, which no code page alters"),
      std::move(save)};
  b.cleanup = {read_only(commands::del_file(backup),
                         "remove the node's copy of job " + job_id + "'s backup"),
               read_only(commands::del_file(encoded),
                         "remove the base64 text of job " + job_id + "'s backup"),
               read_only(commands::file_exists(backup),
                         "check that no copy of the backup stays on the node", removed(backup)),
               read_only(commands::file_exists(encoded),
                         "check that no base64 text of it stays on the node", removed(encoded))};
  return b;
}

// Calls `each` with every job naming `replaced`, once, with its backup's actions.
template <typename Each>
void for_each_backup(const NodeFacts& f, const Host& host, const std::string& replaced, Each each) {
  std::set<std::string> seen;  // a job naming two local volumes is backed up once
  for (const VolumeFacts& v : f.volumes)
    for (const Job& j : v.jobs) {
      if (!names_replaced(j, replaced) || !seen.insert(j.id).second) continue;
      each(copy_job_backup(host, j.id, v.volume));
    }
}

}  // namespace

std::vector<Action> plan(const NodeFacts& f, const Host& host, const std::string& replaced) {
  std::vector<Action> actions;
  for_each_backup(f, host, replaced, [&](JobBackup b) {
    for (Action& a : b.copy) actions.push_back(std::move(a));
    for (Action& a : b.cleanup) actions.push_back(std::move(a));
  });
  return actions;
}

std::vector<std::vector<Action>> plan_lines(const NodeFacts& f, const Host& host,
                                            const std::string& replaced) {
  std::vector<Action> copies, cleanups;
  for_each_backup(f, host, replaced, [&](JobBackup b) {
    for (Action& a : b.copy) copies.push_back(std::move(a));
    for (Action& a : b.cleanup) cleanups.push_back(std::move(a));
  });
  std::vector<std::vector<Action>> lines;
  if (!copies.empty()) lines.push_back(std::move(copies));
  if (!cleanups.empty()) lines.push_back(std::move(cleanups));
  return lines;
}

}  // namespace lkr::tasks::snapshot
