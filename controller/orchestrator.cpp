#include "controller/orchestrator.h"

#include <unistd.h>

#include <iostream>

#include "controller/facts_report.h"
#include "controller/interrupt.h"
#include "controller/node_setup.h"
#include "controller/parallel.h"
#include "inventory/file_digest.h"
#include "inventory/login_name.h"
#include "tasks/node_commands.h"
#include "tasks/parsers/windows_output.h"
#include "transports/command.h"

namespace lkr {

Orchestrator::Orchestrator(const CliOptions& options, std::vector<Cluster> clusters,
                           EventSink& sink, Console& console, TransportFactory make_transport,
                           ConfirmFn confirm)
    : options_(options),
      clusters_(std::move(clusters)),
      sink_(sink),
      console_(console),
      forks_(options.forks, options.parallel_connects),
      make_transport_(std::move(make_transport)),
      confirm_(std::move(confirm)) {}

RunSummary Orchestrator::run() {
  switch (options_.mode) {
    case Mode::ping:
      return ping();
    case Mode::verify:
      return verify();
    case Mode::facts:
      return gather_facts_of_hosts();
    default:
      return recover();
  }
}

bool Orchestrator::confirmed(const std::vector<ClusterRecovery*>& ready) {
  bool any_change = false;
  int changes = 0, hosts = 0, clusters = 0;
  for (auto* c : ready) {
    any_change = any_change || c->has_changes();
    changes += c->pending_changes();
    hosts += c->hosts_with_changes();
    clusters += c->has_changes() ? 1 : 0;
  }
  // Nothing to change needs nobody's approval, --purge-resources or not.
  if (!any_change || options_.yes) return true;
  std::string q = "Apply " + std::to_string(changes) + " change(s) on " + std::to_string(hosts) +
                  " host(s) of " + std::to_string(clusters) +
                  " cluster(s), as planned above? They remove every trace of the replaced node "
                  "from the survivors. Type 'yes' to go on: ";
  if (!confirm_(q, "yes")) return false;
  if (options_.purge_resources &&
      !confirm_("--purge-resources removes EVERY resource instance listed above from the "
                "survivors. Type 'purge' to go on: ",
                "purge"))
    return false;
  return true;
}

std::vector<std::unique_ptr<ClusterRecovery>> Orchestrator::make_recoveries() {
  std::vector<std::unique_ptr<ClusterRecovery>> all;
  for (const auto& c : clusters_)
    all.push_back(
        std::make_unique<ClusterRecovery>(c, options_, sink_, console_, forks_, make_transport_));
  return all;
}

static RunSummary summarize(const std::vector<ClusterRecovery*>& items) {
  RunSummary summary;
  for (auto* c : items) summary.clusters.push_back(c->outcome());
  summary.interrupted = interrupted();
  return summary;
}

RunSummary Orchestrator::recover() {
  auto all = make_recoveries();
  std::vector<ClusterRecovery*> items;
  for (auto& c : all) items.push_back(c.get());
  std::vector<char> ok(items.size(), 0);
  std::vector<std::size_t> index(items.size());
  for (std::size_t i = 0; i < index.size(); ++i) index[i] = i;
  for (const auto& c : clusters_) console_.cluster_started(c.name);
  run_parallel<std::size_t>(index, [&](const std::size_t& i) {
    ok[i] = items[i]->prepare();
    if (!ok[i]) console_.cluster_done(items[i]->outcome());
  });

  std::vector<ClusterRecovery*> ready;
  std::string plans;  // what the operator is shown, and approves
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!ok[i]) continue;
    ready.push_back(items[i]);
    std::string plan = items[i]->plan_text();
    console_.line(plan);
    sink_.snapshot(items[i]->outcome().name, "", "plan.txt", plan);
    plans += plan;
  }
  bool not_confirmed = false;
  if (options_.mode == Mode::check) {
    for (auto* c : ready) {
      c->mark_checked();
      console_.cluster_done(c->outcome());
    }
  } else if (!ready.empty() && !interrupted()) {
    console_.pause_progress();  // the question is asked on the terminal the region is on
    bool yes = confirmed(ready);
    console_.resume_progress();
    if (!yes) {
      console_.error("not confirmed: nothing was changed");
      for (auto* c : ready) c->mark_not_confirmed();
      not_confirmed = true;
    } else {
      // Who approved which plan, and when: the trail proves what was agreed to.
      sink_.note("", "", "confirm",
                 std::string(options_.yes ? "approved with --yes" : "approved at the terminal") +
                     " by " + login_name() + "; plan sha256 " + sha256_hex(plans));
      std::vector<ClusterRecovery*> go = ready;
      run_parallel<ClusterRecovery*>(go, [this](ClusterRecovery* c) {
        c->apply();
        console_.cluster_done(c->outcome());
      });
    }
  }
  RunSummary summary = summarize(items);
  summary.not_confirmed = not_confirmed;
  return summary;
}

RunSummary Orchestrator::verify() {
  auto all = make_recoveries();
  std::vector<ClusterRecovery*> items;
  for (auto& c : all) items.push_back(c.get());
  for (const auto& c : clusters_) console_.cluster_started(c.name);
  run_parallel<ClusterRecovery*>(items, [this](ClusterRecovery* c) {
    c->verify_only();
    console_.cluster_done(c->outcome());
  });
  return summarize(items);
}

// Every host, replaced node included: reachable? LifeKeeper there? which code page?
RunSummary Orchestrator::ping() {
  RunSummary summary;
  for (const auto& c : clusters_) {
    ClusterOutcome o;
    o.name = c.name;
    o.replaced = c.replaced;
    o.status = ClusterStatus::ok;
    console_.phase(c.name, "ping", static_cast<int>(c.hosts.size()));
    std::vector<Host> hosts = c.hosts;
    std::vector<std::exception_ptr> errors;
    std::vector<HostTally> tallies(hosts.size());
    std::vector<std::size_t> index(hosts.size());
    for (std::size_t i = 0; i < index.size(); ++i) index[i] = i;
    SessionSettings settings;
    settings.command_timeout = std::chrono::seconds(options_.command_timeout_s);
    errors = run_parallel<std::size_t>(index, [&](const std::size_t& i) {
      NodeSession n(c.name, hosts[i], make_transport_(hosts[i]), sink_, console_, forks_, settings);
      try {
        n.connect();
        CommandResult cp = n.read("ping", builtin("chcp", {}));
        int codepage = tasks::parse_chcp(cp.stdout_utf8);
        // The code page and where LifeKeeper is, as preflight reads them.
        settle_node(n, "ping");
        // LifeKeeper is there when its commands answer (what every later step needs).
        CommandResult lk = n.read("ping", tasks::commands::sys_list(n.host()));
        bool present = lk.exit_code == 0;
        std::string cp_text = "code page " + std::to_string(codepage);
        console_.step(c.name, hosts[i].name, "ping", present ? StepStatus::ok : StepStatus::failed,
                      std::string(present ? "LifeKeeper present at " + n.host().lk_bin
                                          : "LifeKeeper does not answer at " + n.host().lk_bin) +
                          "; " + cp_text);
        if (!present) throw StepFailure("ping", "LifeKeeper does not answer at " + n.host().lk_bin);
      } catch (...) {
        tallies[i] = n.tally();
        console_.host_done(c.name, hosts[i].name);
        throw;
      }
      tallies[i] = n.tally();
      console_.host_done(c.name, hosts[i].name);
    });
    for (std::size_t i = 0; i < hosts.size(); ++i) {
      o.hosts[hosts[i].name] = tallies[i];
      if (!errors[i]) continue;
      try {
        std::rethrow_exception(errors[i]);
      } catch (const StepFailure& f) {
        if (o.reason.empty()) {
          o.status = f.unreachable ? ClusterStatus::unreachable : ClusterStatus::failed;
          o.failed_step = "ping";
          o.failed_host = hosts[i].name;
          o.reason = f.what();
        }
      } catch (const std::exception& e) {
        o.status = ClusterStatus::failed;
        o.reason = e.what();
      }
    }
    summary.clusters.push_back(o);
    console_.cluster_done(o);
  }
  summary.interrupted = interrupted();
  return summary;
}

// Every host, replaced node included: each read-only discovery command and its verdict.
RunSummary Orchestrator::gather_facts_of_hosts() {
  RunSummary summary;
  SessionSettings settings;
  settings.command_timeout = std::chrono::seconds(options_.command_timeout_s);
  for (const auto& c : clusters_) {
    ClusterOutcome o;
    o.name = c.name;
    o.replaced = c.replaced;
    o.status = ClusterStatus::ok;
    std::vector<nlohmann::json> reports(c.hosts.size());
    std::vector<HostTally> tallies(c.hosts.size());
    std::vector<std::size_t> index(c.hosts.size());
    for (std::size_t i = 0; i < index.size(); ++i) index[i] = i;
    console_.phase(c.name, "facts", static_cast<int>(c.hosts.size()));
    run_parallel<std::size_t>(index, [&](const std::size_t& i) {
      NodeSession n(c.name, c.hosts[i], make_transport_(c.hosts[i]), sink_, console_, forks_,
                    settings);
      reports[i] = facts_report(n, c.name, options_.raw_dir);
      tallies[i] = n.tally();
      bool ok = reports[i]["recognised"].get<bool>();
      console_.step(c.name, c.hosts[i].name, "facts", ok ? StepStatus::ok : StepStatus::failed,
                    ok ? "every output recognised" : "some output not recognised: see the JSON");
      console_.host_done(c.name, c.hosts[i].name);
    });
    for (std::size_t i = 0; i < c.hosts.size(); ++i) {
      o.hosts[c.hosts[i].name] = tallies[i];
      facts_.push_back(reports[i]);
      if (reports[i]["recognised"].get<bool>() || !o.reason.empty()) continue;
      o.status = tallies[i].unreachable > 0 ? ClusterStatus::unreachable : ClusterStatus::failed;
      o.failed_step = "facts";
      o.failed_host = c.hosts[i].name;
      o.reason = "output not recognised (or host not reachable): see the facts JSON";
    }
    summary.clusters.push_back(o);
    console_.cluster_done(o);
  }
  summary.interrupted = interrupted();
  return summary;
}

bool confirm_on_terminal(const std::string& question, const std::string& expected) {
  if (!isatty(STDIN_FILENO)) return false;
  std::cerr << question << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == expected;
}

}  // namespace lkr
