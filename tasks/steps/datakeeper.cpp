#include "tasks/steps/datakeeper.h"

#include <set>

#include "tasks/node_commands.h"
#include "tasks/parsers/datakeeper_output.h"
#include "tasks/parsers/text_lines.h"
#include "tasks/replaced_refs.h"

namespace lkr::tasks::datakeeper {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// What refers to R on one volume. A job of three or more nodes holds a tuple for every
// pair (E7): it is deleted whole, as the runbook deletes a job (its registry key), and
// every tuple goes on the re-extension checklist. A mirror is another matter: emcmd's
// public record shows no target argument for deletelocalmirroronly, so removing the
// local end of a volume that also mirrors to another node would stop that mirror too.
struct VolumeWork {
  const VolumeFacts* volume = nullptr;
  std::vector<const Job*> jobs;            // jobs naming R
  bool mirror_to_replaced = false;         // getmirrorvolinfo shows a mirror with R
  std::vector<std::string> other_mirrors;  // mirrors of the volume with other nodes
};

VolumeWork work_on(const VolumeFacts& v, const std::string& replaced,
                   const std::set<std::string>& addresses) {
  VolumeWork w;
  w.volume = &v;
  for (const Job& j : v.jobs)
    if (names_replaced(j, replaced)) w.jobs.push_back(&j);
  for (const MirrorLine& m : v.mirrors) {
    if (mirrors_to(m, replaced, addresses))
      w.mirror_to_replaced = true;
    else
      w.other_mirrors.push_back(m.other_system + " (" + m.other_ip + ")");
  }
  return w;
}

std::string job_text(const Job& j, const std::string& local, const std::string& replaced) {
  std::string text = "DataKeeper job " + j.id + " (\"" + j.name + "\")";
  std::vector<std::string> others = other_systems_of(j, local, replaced);
  if (!others.empty())
    text += ", which also pairs " + joined(others) + " (re-created from the checklist)";
  return text;
}

ResultCheck jobs_gone(std::vector<std::string> ids, std::string volume) {
  return [ids = std::move(ids), volume](const CommandResult& r) -> std::optional<std::string> {
    if (r.exit_code != 0)
      return "getjobinfoforvol " + volume + " exited with code " + std::to_string(r.exit_code);
    try {
      for (const ListedJob& j : parse_job_info(r.stdout_utf8))
        for (const auto& id : ids)
          if (j.id == id) return "job " + id + " is still listed after reg delete";
    } catch (const OddOutput& e) {
      return std::string(e.what());
    }
    return std::nullopt;
  };
}

ResultCheck status_zero(std::string what) {
  return [what = std::move(what)](const CommandResult& r) { return status_is_zero(r, what); };
}

void add_actions(const VolumeWork& w, const Host& host, const std::string& local,
                 const std::string& replaced, std::vector<Action>& out) {
  const std::string& vol = w.volume->volume;
  std::vector<std::string> ids;
  for (const Job* j : w.jobs) {
    ids.push_back(j->id);
    out.push_back(Action{
        kStep,
        StepKind::node_change,
        commands::reg_delete_job(host, j->id),
        "delete " + job_text(*j, local, replaced) + " of volume " + vol + " from the registry",
        {}});
  }
  if (!ids.empty())
    out.push_back(Action{kStep, StepKind::read_only, commands::getjobinfoforvol(host, vol),
                         "check that volume " + vol + " lists no deleted job",
                         jobs_gone(ids, vol)});
  if (!w.mirror_to_replaced) return;  // a target of another survivor keeps its mirror
  out.push_back(Action{kStep, StepKind::node_change, commands::deletelocalmirroronly(host, vol),
                       "delete the local end of volume " + vol + "'s mirror with " + replaced,
                       status_zero("deletelocalmirroronly " + vol)});
  out.push_back(Action{kStep, StepKind::node_change, commands::clearswitchover(host, vol),
                       "clear the switchover state of volume " + vol,
                       status_zero("clearswitchover " + vol)});
}

}  // namespace

std::optional<std::string> status_is_zero(const CommandResult& r, const std::string& what) {
  try {
    int status = parse_emcmd_status(r.stdout_utf8, what);
    if (status != 0) return what + " returned Status = " + std::to_string(status);
  } catch (const OddOutput& e) {
    return std::string(e.what());
  }
  if (r.exit_code != 0) return what + " exited with code " + std::to_string(r.exit_code);
  return std::nullopt;
}

std::vector<Action> plan(const NodeFacts& f, const Host& host, const std::string& replaced,
                         bool allow_multitarget_jobs) {
  std::set<std::string> addresses = replaced_addresses(f, replaced);
  std::vector<VolumeWork> work;
  std::vector<std::string> refusals;
  for (const VolumeFacts& v : f.volumes) {
    VolumeWork w = work_on(v, replaced, addresses);
    if (w.jobs.empty() && !w.mirror_to_replaced) continue;
    if (w.mirror_to_replaced && !w.other_mirrors.empty())
      refusals.push_back("volume " + v.volume + " mirrors to " + replaced + " and also to " +
                         joined(w.other_mirrors));
    work.push_back(w);
  }
  if (!refusals.empty() && !allow_multitarget_jobs)
    throw PlanRefused(joined(refusals) +
                      ": emcmd deletelocalmirroronly takes no target (none is in the public "
                      "record), so removing the mirror to " +
                      replaced +
                      " would stop the mirrors to those nodes as well, and they would have to "
                      "be re-created by hand with a full resync; refusing, nothing was changed "
                      "(--allow-multitarget-jobs deletes them all and lists them on the "
                      "re-extension checklist)");
  std::vector<Action> actions;
  for (const VolumeWork& w : work) add_actions(w, host, f.lifekeeper_name, replaced, actions);
  return actions;
}

std::vector<std::string> verify(const NodeFacts& now, const std::string& replaced) {
  return datakeeper_references(now, replaced, replaced_addresses(now, replaced));
}

}  // namespace lkr::tasks::datakeeper
