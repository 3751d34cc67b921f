#include "controller/cluster_recovery.h"

#include <algorithm>
#include <sstream>
#include <thread>

#include "controller/interrupt.h"
#include "controller/node_setup.h"
#include "controller/open_checklist.h"
#include "controller/parallel.h"
#include "inventory/system_name.h"
#include "tasks/steps/preflight.h"
#include "tasks/steps/reextension_checklist.h"
#include "tasks/steps/snapshot.h"
#include "tasks/steps/verify.h"
#include "transports/cmd_quoting.h"

namespace lkr {

using tasks::gather_facts;
using tasks::NodeFacts;

namespace {

const char* kind_label(StepKind k) {
  switch (k) {
    case StepKind::read_only:
      return "read-only";
    case StepKind::node_change:
      return "change";
    case StepKind::cluster_serial:
      return "cluster-serial";
  }
  return "?";
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

ClusterRecovery::ClusterRecovery(const Cluster& cluster, const CliOptions& options, EventSink& sink,
                                 Console& console, ForkLimiter& forks,
                                 TransportFactory make_transport)
    : cluster_(cluster), options_(options), sink_(sink), console_(console) {
  outcome_.name = cluster.name;
  outcome_.replaced = cluster.replaced;
  SessionSettings settings;
  settings.command_timeout = std::chrono::seconds(options.command_timeout_s);
  for (const auto& h : cluster.hosts) {
    auto session = std::make_unique<NodeSession>(cluster.name, h, make_transport(h), sink, console,
                                                 forks, settings);
    outcome_.hosts[h.name];  // every host appears in the recap, even untouched
    if (same_system(h.system, cluster.replaced)) {
      replaced_ = std::move(session);
    } else {
      survivors_.push_back(std::move(session));
    }
  }
}

ClusterOutcome ClusterRecovery::outcome() const {
  ClusterOutcome o = outcome_;
  for (const auto& s : survivors_) o.hosts[s->name()] = s->tally();
  if (replaced_) o.hosts[replaced_->name()] = replaced_->tally();
  return o;
}

void ClusterRecovery::mark_not_confirmed() {
  outcome_.status = ClusterStatus::refused;
  outcome_.failed_step = "confirm";
  outcome_.reason = "not confirmed: nothing was changed (use --yes when no terminal is attached)";
}

std::vector<NodeSession*> ClusterRecovery::survivor_sessions() const {
  std::vector<NodeSession*> out;
  for (const auto& s : survivors_) out.push_back(s.get());
  return out;
}

bool ClusterRecovery::fail(const std::string& step, const std::string& host, const std::string& why,
                           ClusterStatus status) {
  if (interrupted()) status = ClusterStatus::interrupted;
  if (outcome_.reason.empty()) {
    outcome_.status = status;
    outcome_.failed_step = step;
    outcome_.failed_host = host;
    outcome_.reason = why;
    if (status == ClusterStatus::refused) {
      outcome_.next = "nothing was changed; fix the cause, then run `lkrecover check` again";
    } else if (status == ClusterStatus::interrupted) {
      outcome_.next = "re-run the same command: it reads every node's facts again and finishes";
    } else {
      outcome_.next = changed_ ? "fix the cause, then re-run the same command: done steps are "
                                 "skipped, the rest is finished"
                               : "nothing was changed; fix the cause, then re-run";
    }
  }
  sink_.note(cluster_.name, host, step, "cluster stopped: " + why);
  console_.cluster_line(cluster_.name,
                        "STOPPED at " + step + (host.empty() ? "" : " on " + host) + ": " + why);
  return false;
}

// Every item ran to its end; the first failure (in survivor order) stops the cluster.
bool ClusterRecovery::handle_errors(const std::string& step,
                                    const std::vector<std::exception_ptr>& errors) {
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (!errors[i]) continue;
    std::string host = i < survivors_.size() ? survivors_[i]->name() : "";
    try {
      std::rethrow_exception(errors[i]);
    } catch (const StepFailure& f) {
      return fail(f.step, host, f.what(),
                  f.unreachable ? ClusterStatus::unreachable : ClusterStatus::failed);
    } catch (const std::exception& e) {
      return fail(step, host, e.what());
    }
  }
  return true;
}

// The volumes the snapshot found on `node`: their reads share the first line of a later
// facts read (gather_facts' hint).
std::vector<std::string> ClusterRecovery::snapshot_volumes(NodeSession& node) const {
  std::vector<std::string> volumes;
  auto it = before_.find(&node);
  if (it != before_.end())
    for (const auto& v : it->second.volumes) volumes.push_back(v.volume);
  return volumes;
}

NodeFacts ClusterRecovery::read_facts(NodeSession& node, const std::string& step) {
  ReadFn base = node.reader();
  ReadFn as_step = [&](const std::string&, const Command& c) { return base(step, c); };
  ReadManyFn many = node.batch_reader();
  ReadManyFn many_as_step = [&](const std::string&, const std::vector<Command>& cs) {
    return many(step, cs);
  };
  try {
    return gather_facts(node.host(), as_step, nullptr, many_as_step, snapshot_volumes(node));
  } catch (const OddOutput& e) {
    throw StepFailure(step, std::string("odd output: ") + e.what());
  }
}

bool ClusterRecovery::connect_all() {
  auto errors =
      run_parallel<NodeSession*>(survivor_sessions(), [](NodeSession* n) { n->connect(); });
  return handle_errors("connect", errors);
}

bool ClusterRecovery::preflight() {
  const std::string& R = cluster_.replaced;
  // The replaced node is inspected at the same time as the survivors (it is read-only
  // and independent): it would otherwise add its round trips to every cluster's chain.
  ReplacedVerdict replaced;
  std::thread inspect_replaced_node([&] {
    replaced = inspect_replaced();
    if (replaced_) console_.host_done(cluster_.name, replaced_->name());
  });
  std::vector<char> clean(survivors_.size(), 0);
  std::vector<std::string> local(survivors_.size());
  std::vector<std::size_t> index(survivors_.size());
  for (std::size_t i = 0; i < index.size(); ++i) index[i] = i;
  preflight_facts_.clear();
  for (const auto& s : survivors_) preflight_facts_[s.get()];  // no insertion from the threads
  auto errors = run_parallel<std::size_t>(index, [&](const std::size_t& i) {
    NodeSession* n = survivors_[i].get();
    settle_node(*n, "preflight");
    FirstRead first = snapshot_facts(*n, "preflight");
    const NodeFacts& f = first.facts;
    auto verdict = tasks::preflight::check(f, n->host(), R);
    if (!verdict.ok()) throw StepFailure("preflight", join(verdict.refusals, "; "));
    clean[i] = verdict.already_clean;
    local[i] = f.local_system;
    preflight_facts_.at(n) = std::move(first);
    console_.host_done(cluster_.name, n->name());
  });
  inspect_replaced_node.join();
  // A refusal in preflight changed nothing: report it as such.
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (!errors[i]) continue;
    try {
      std::rethrow_exception(errors[i]);
    } catch (const StepFailure& f) {
      return fail(f.step, survivors_[i]->name(), f.what(),
                  f.unreachable ? ClusterStatus::unreachable : ClusterStatus::refused);
    } catch (const std::exception& e) {
      return fail("preflight", survivors_[i]->name(), e.what(), ClusterStatus::refused);
    }
  }
  if (!judge_replaced(replaced, std::all_of(clean.begin(), clean.end(), [](char c) { return c; })))
    return false;
  // Only now (nothing refused) the per-survivor verdicts: "nothing refers to R" printed
  // before a refusal would read as "already clean" at 2 a.m. Survivors may disagree (one
  // cleaned by hand or by an earlier run, one not): each is finished from where it is, and
  // the record says which were clean already.
  for (std::size_t i = 0; i < survivors_.size(); ++i) {
    NodeSession& n = *survivors_[i];
    if (clean[i])
      sink_.note(cluster_.name, n.name(), "preflight",
                 "already clean: nothing on " + n.name() + " refers to " + R +
                     " any more (cleaned by hand or by an earlier run): nothing of " + R +
                     " is left to remove there");
    console_.step(cluster_.name, n.name(), "preflight", StepStatus::ok,
                  clean[i] ? "nothing refers to " + R + " any more"
                           : "local system " + local[i] + ", knows " + R);
  }
  return true;
}

// Reads the replaced node's facts when it is in the inventory and reachable.
ClusterRecovery::ReplacedVerdict ClusterRecovery::inspect_replaced() {
  ReplacedVerdict v;
  const std::string& R = cluster_.replaced;
  if (!replaced_) {
    bool limited = false;
    for (const auto& h : cluster_.limited_out) limited = limited || same_system(h, R);
    v.unchecked = R + (limited ? " is left out by --limit" : " is not in the inventory");
    return v;
  }
  try {
    replaced_->connect();
    settle_node(*replaced_, "preflight");
    NodeFacts f = read_facts(*replaced_, "preflight");
    v.problems = tasks::preflight::check_replaced_is_fresh(f, R);
    v.checked = true;
  } catch (const StepFailure& f) {
    if (f.unreachable) {
      v.unchecked = R + " is unreachable (" + f.what() + ")";
    } else {
      v.checked = true;
      v.problems.push_back(f.what());
    }
  } catch (const std::exception& e) {
    v.checked = true;
    v.problems.push_back(e.what());
  }
  return v;
}

// A typo in --replaced must never clean a healthy node out of a cluster: the replaced
// node, when it can be reached, must look freshly reinstalled; when it cannot, only an
// explicit --trust-replaced lets the cluster go on.
bool ClusterRecovery::judge_replaced(const ReplacedVerdict& v, bool no_survivor_knows_it) {
  if (v.checked) {
    if (!v.problems.empty())
      return fail("preflight", replaced_->name(), join(v.problems, "; ") + "; refusing",
                  ClusterStatus::refused);
    console_.step(cluster_.name, replaced_->name(), "preflight", StepStatus::ok,
                  "freshly reinstalled: only itself in sys_list, no resources");
    return true;
  }
  if (!options_.trust_replaced)
    return fail(
        "preflight", "",
        v.unchecked + (no_survivor_knows_it
                           ? ", and no survivor refers to it (sys_list, equivalencies, comm "
                             "paths, DataKeeper jobs): is the name right? If this cluster "
                             "was already recovered, there is nothing left to do"
                           : ", so it cannot be shown to be the reinstalled node; check the "
                             "name, or pass --trust-replaced"),
        ClusterStatus::refused);
  console_.cluster_line(cluster_.name,
                        "WARNING: " + v.unchecked + "; proceeding because of --trust-replaced");
  sink_.note(cluster_.name, "", "preflight", v.unchecked + "; trusted (--trust-replaced)");
  return true;
}

// Every read of the facts names its record (node_commands): an output the audit folder
// could not file under a name would be a fact nobody can find again. Refused before it
// is sent, so the snapshot (and the cluster) stops before any change.
void ClusterRecovery::check_record(const Command& c, const std::string& step) {
  if (c.record.empty())
    throw StepFailure(step, "a facts read of " + c.program +
                                " has no record name, so its output cannot be filed "
                                "in the audit folder; nothing was changed (a defect "
                                "of lkrecover: please report it)");
}

// The facts of a survivor before any change, each output kept under its record for the
// snapshot: read once, in preflight; snapshot() files them once preflight passed.
ClusterRecovery::FirstRead ClusterRecovery::snapshot_facts(NodeSession& n,
                                                           const std::string& step) {
  FirstRead first;
  ReadFn one = [&first, &n, step](const std::string&, const Command& c) {
    check_record(c, step);
    CommandResult r = n.read(step, c);
    first.records.emplace_back(c.record, r.stdout_utf8);
    return r;
  };
  ReadManyFn many = [&first, &n, step](const std::string&, const std::vector<Command>& cs) {
    for (const Command& c : cs) check_record(c, step);
    std::vector<CommandResult> rs = n.read_batch(step, cs);
    for (std::size_t i = 0; i < cs.size() && i < rs.size(); ++i)
      first.records.emplace_back(cs[i].record, rs[i].stdout_utf8);
    return rs;
  };
  try {
    first.facts = gather_facts(n.host(), one, nullptr, many);
  } catch (const OddOutput& e) {
    throw StepFailure(step, std::string("odd output: ") + e.what());
  }
  return first;
}

// The snapshot is what preflight read, before any change: filed now, read nowhere again.
bool ClusterRecovery::snapshot() {
  console_.phase(cluster_.name, tasks::runbook::kSnapshot, static_cast<int>(survivors_.size()));
  for (const auto& s : survivors_) {
    auto it = preflight_facts_.find(s.get());
    if (it == preflight_facts_.end())
      return fail("snapshot", s->name(), "no facts were read from it in preflight");
    for (const auto& [record, text] : it->second.records)
      sink_.snapshot(cluster_.name, s->name(), record, text);
    before_[s.get()] = it->second.facts;
    console_.host_done(cluster_.name, s->name());
  }
  return true;
}

// `reg export` of every job to be deleted: a backup file on the node, written only once
// the plan is accepted (a refused plan leaves the nodes as they were) and never by `check`;
// its text lands in the audit folder (Action::save_as) before `reg delete` removes the job.
bool ClusterRecovery::back_up_jobs() {
  if (options_.mode == Mode::check) return true;
  auto errors = run_parallel<NodeSession*>(survivor_sessions(), [&](NodeSession* n) {
    for (const auto& line :
         tasks::snapshot::plan_lines(before_.at(n), n->host(), cluster_.replaced))
      n->apply_batch(line);
  });
  return handle_errors("snapshot", errors);
}

// A plan refused on one survivor (e.g. a multi-target DataKeeper job) stops the cluster,
// naming that survivor, before anything is sent.
bool ClusterRecovery::make_plans() {
  plans_.clear();
  for (const auto& s : survivors_) {
    NodePlan p;
    p.node = s.get();
    tasks::runbook::PlanContext context{before_.at(s.get()), s->host(), cluster_.replaced,
                                        options_.allow_multitarget_jobs};
    try {
      for (const auto& step : tasks::runbook::steps()) {
        bool wanted = !step.optional || options_.purge_resources;
        p.by_step.push_back(wanted ? step.plan(context) : std::vector<Action>{});
      }
    } catch (const std::exception& e) {
      return fail("plan", s->name(), e.what(), ClusterStatus::refused);
    }
    plans_.push_back(std::move(p));
  }
  record_plan();
  return true;
}

void ClusterRecovery::mark_checked() {
  outcome_.status = has_changes() ? ClusterStatus::changes_pending : ClusterStatus::nothing_to_do;
}

int ClusterRecovery::pending_changes() const {
  int n = 0;
  for (const auto& [host, count] : outcome_.pending) n += count;
  return n;
}

int ClusterRecovery::hosts_with_changes() const {
  int n = 0;
  for (const auto& [host, count] : outcome_.pending) n += count > 0 ? 1 : 0;
  return n;
}

// The plan as data for `--json` and the counts: a flush alone is no change.
void ClusterRecovery::record_plan() {
  const auto& steps = tasks::runbook::steps();
  outcome_.plan.clear();
  for (const auto& p : plans_) {
    int& changes = outcome_.pending[p.node->name()];
    changes = 0;
    for (std::size_t i = 0; i < steps.size(); ++i)
      for (const auto& a : p.by_step[i]) {
        outcome_.plan.push_back(PlannedCommand{p.node->name(), steps[i].name, kind_label(a.kind),
                                               display(a.command), a.description});
        if (a.kind != StepKind::read_only && !a.flush) ++changes;
      }
  }
}

bool ClusterRecovery::prepare() {
  if (survivors_.empty())
    return fail("inventory", "",
                "no surviving node of the cluster is in the inventory (after --limit)",
                ClusterStatus::refused);
  console_.phase(cluster_.name, tasks::runbook::kPreflight,
                 static_cast<int>(survivors_.size()) + (replaced_ ? 1 : 0));
  if (!connect_all() || !preflight() || !snapshot() || !make_plans() || !back_up_jobs())
    return false;
  if (!has_changes())
    console_.cluster_line(cluster_.name, "nothing refers to " + cluster_.replaced +
                                             " any more: nothing to change (lcdsync only)");
  return true;
}

// A flush alone (lcdsync with nothing else to do) is no change.
bool ClusterRecovery::has_changes() const {
  for (const auto& p : plans_)
    for (const auto& actions : p.by_step)
      for (const auto& a : actions)
        if (a.kind != StepKind::read_only && !a.flush) return true;
  return false;
}

std::string ClusterRecovery::plan_text() const {
  const auto& steps = tasks::runbook::steps();
  std::size_t width = 0;
  for (const auto& step : steps) width = std::max(width, std::string(step.name).size());
  std::ostringstream out;
  out << "PLAN [" << cluster_.name << "] replaced node: " << cluster_.replaced << "\n";
  for (const auto& p : plans_) {
    out << "  " << p.node->name() << ":\n";
    for (std::size_t i = 0; i < steps.size(); ++i) {
      std::string label = steps[i].name;
      label.resize(width, ' ');
      for (const auto& a : p.by_step[i])
        out << "    " << label << "  [" << kind_label(a.kind) << "]  " << display(a.command)
            << "\n        # " << a.description << "\n";
    }
  }
  return out.str();
}

// The phase's own post-condition on `node`, from facts read now.
void ClusterRecovery::verify_step(std::size_t step, NodeSession& node) {
  const auto& s = tasks::runbook::steps()[step];
  NodeFacts now = read_facts(node, s.name);
  auto problems = s.verify(now, cluster_.replaced);
  if (!problems.empty())
    throw StepFailure(s.name, "not done after the change: " + join(problems, "; "));
}

bool ClusterRecovery::run_node_local(std::size_t step) {
  const std::string phase = tasks::runbook::steps()[step].name;
  auto errors = run_parallel<NodePlan>(plans_, [&](const NodePlan& p) {
    for (const Action& a : p.by_step[step]) {
      p.node->apply(a);
      if (a.kind != StepKind::read_only) changed_ = true;
    }
    if (p.by_step[step].empty()) return;
    verify_step(step, *p.node);
    console_.step(cluster_.name, p.node->name(), phase, StepStatus::ok, "verified");
    console_.host_done(cluster_.name, p.node->name());
  });
  return handle_errors(phase, errors);
}

// One survivor at a time: sys_remove .. lcdsync never overlaps within a cluster.
bool ClusterRecovery::run_cluster_serial(std::size_t step) {
  for (std::size_t i = 0; i < plans_.size(); ++i) {
    NodePlan& p = plans_[i];
    if (p.by_step[step].empty()) continue;
    try {
      // lcdsync alone (nothing else changed on this node in this run) is a flush,
      // recorded as ok: a second run says it changed nothing.
      bool node_changed = p.node->tally().changed > 0;
      for (const Action& a : p.by_step[step]) {
        p.node->apply(a, !a.flush || node_changed);
        if (!a.flush) node_changed = changed_ = true;
      }
      verify_step(step, *p.node);
      console_.host_done(cluster_.name, p.node->name());
    } catch (const StepFailure& f) {
      return fail(f.step, p.node->name(), f.what(),
                  f.unreachable ? ClusterStatus::unreachable : ClusterStatus::failed);
    }
  }
  return true;
}

bool ClusterRecovery::verify_final() {
  const std::string& R = cluster_.replaced;
  console_.phase(cluster_.name, tasks::runbook::kVerify, static_cast<int>(survivors_.size()));
  auto errors = run_parallel<NodeSession*>(survivor_sessions(), [&](NodeSession* n) {
    NodeFacts now = read_facts(*n, "verify");
    auto it = before_.find(n);
    auto problems = it == before_.end()
                        ? tasks::verify::nothing_remains(now, R)
                        : tasks::verify::verify(it->second, now, R, options_.purge_resources,
                                                options_.allow_multitarget_jobs);
    if (!problems.empty()) throw StepFailure("verify", join(problems, "; "));
    console_.step(cluster_.name, n->name(), "verify", StepStatus::ok,
                  "nothing of " + R + " remains; everything else as before");
    console_.host_done(cluster_.name, n->name());
  });
  return handle_errors("verify", errors);
}

// Before the first change: the checklist of this run's snapshot, merged into the one an
// earlier run of this cluster left open (its snapshot was taken before it removed
// anything), kept open in LOG_DIR and written to this run's audit folder at once.
bool ClusterRecovery::open_checklist() {
  namespace rc = tasks::reextension_checklist;
  std::vector<rc::SurvivorFacts> facts;
  for (const auto& s : survivors_) facts.emplace_back(s->host().system, before_.at(s.get()));
  rc::Checklist now = rc::build(facts, cluster_.replaced);
  OpenChecklist open(options_.log_dir, cluster_.name, cluster_.replaced);
  try {
    if (auto carried = open.load()) {
      checklist_ = carried->checklist;
      rc::merge(checklist_, now);
      std::string source =
          "re-extension checklist carried forward from " + open.path() +
          (carried->finished ? ".done" : "") + " (written " + carried->written +
          (carried->finished ? " by a run that finished" : " by a run that did not finish") +
          "): what it removed is still listed";
      sink_.note(cluster_.name, "", "checklist", source);
      console_.cluster_line(cluster_.name, source);
    } else {
      checklist_ = now;
    }
    open.save(checklist_);
  } catch (const std::exception& e) {
    return fail("checklist", "", e.what(), ClusterStatus::refused);
  }
  write_checklist_files();
  return true;
}

void ClusterRecovery::write_checklist_files() {
  namespace rc = tasks::reextension_checklist;
  outcome_.checklist = rc::lines(checklist_);
  sink_.snapshot(cluster_.name, "", "reextension-checklist.json", rc::to_json(checklist_).dump(2));
  std::string text;
  for (const auto& l : outcome_.checklist) text += l + "\n";
  sink_.snapshot(cluster_.name, "", "reextension-checklist.txt", text);
}

// The cluster is verified: the checklist is final, nothing stays open.
void ClusterRecovery::write_checklist() {
  write_checklist_files();
  OpenChecklist(options_.log_dir, cluster_.name, cluster_.replaced).close();
}

// A step that has work on some survivor is a phase of the trail: its start and end
// events bracket its commands, so a reader sees when each cluster-serial window opened.
bool ClusterRecovery::run_step(std::size_t step) {
  const auto& s = tasks::runbook::steps()[step];
  bool any = false;
  for (const auto& p : plans_) any = any || !p.by_step[step].empty();
  if (!any) return true;
  sink_.phase(cluster_.name, s.name, PhaseEdge::start, "");
  int hosts = 0;  // the survivors with work in this step
  for (const auto& p : plans_) hosts += p.by_step[step].empty() ? 0 : 1;
  console_.phase(cluster_.name, s.name, hosts);
  bool serial = s.kind == StepKind::cluster_serial;
  bool ok = serial ? run_cluster_serial(step) : run_node_local(step);
  sink_.phase(cluster_.name, s.name, PhaseEdge::end, ok ? "ok" : "failed");
  return ok;
}

void ClusterRecovery::apply() {
  if (!open_checklist()) return;
  for (std::size_t i = 0; i < tasks::runbook::steps().size(); ++i)
    if (!run_step(i)) return;
  if (!verify_final()) return;
  write_checklist();
  outcome_.status = changed_ ? ClusterStatus::changed : ClusterStatus::nothing_to_do;
}

void ClusterRecovery::verify_only() {
  if (survivors_.empty()) {
    fail("inventory", "", "no surviving node of the cluster is in the inventory",
         ClusterStatus::refused);
    return;
  }
  console_.phase(cluster_.name, tasks::runbook::kVerify, static_cast<int>(survivors_.size()));
  if (!connect_all()) return;
  auto errors = run_parallel<NodeSession*>(survivor_sessions(), [&](NodeSession* n) {
    settle_node(*n, "preflight");
    NodeFacts now = read_facts(*n, "verify");
    auto problems = tasks::verify::nothing_remains(now, cluster_.replaced);
    if (!problems.empty()) throw StepFailure("verify", join(problems, "; "));
    console_.step(cluster_.name, n->name(), "verify", StepStatus::ok,
                  "nothing of " + cluster_.replaced + " remains");
    console_.host_done(cluster_.name, n->name());
  });
  if (handle_errors("verify", errors)) outcome_.status = ClusterStatus::ok;
}

}  // namespace lkr
