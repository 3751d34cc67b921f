#include "controller/exec_command.h"

#include <optional>
#include <set>

#include "controller/fork_limiter.h"
#include "controller/interrupt.h"
#include "controller/node_session.h"
#include "controller/node_setup.h"
#include "controller/parallel.h"
#include "controller/terminal_text.h"
#include "transports/cmd_quoting.h"
#include "transports/command.h"

namespace lkr {
namespace {

struct Target {
  std::string cluster;
  Host host;
};

// What became of the program on one host.
struct HostRun {
  std::optional<CommandResult> result;  // set when the program ran (any exit code)
  bool unreachable = false;
  std::string error;  // why it did not run
};

std::vector<Target> targets_of(const std::vector<Cluster>& clusters) {
  std::vector<Target> all;
  std::set<std::string> seen;
  for (const auto& c : clusters)
    for (const auto& h : c.hosts)
      if (seen.insert(h.name).second) all.push_back({c.name, h});
  return all;
}

Command program_command(const CliOptions& o) {
  return program(o.exec_argv[0], {o.exec_argv.begin() + 1, o.exec_argv.end()});
}

HostRun run_on_host(NodeSession& n, const Command& command) {
  HostRun run;
  try {
    n.connect();
    settle_console(n, "setup");  // %SystemRoot% and the code page the output is decoded with
    Action a;
    a.step = "exec";
    a.kind = StepKind::node_change;  // written ahead: the program may change the node
    a.command = command;
    a.description = "ad hoc command";
    a.check = [&run](const CommandResult& r) -> std::optional<std::string> {
      run.result = r;
      if (r.exit_code == 0) return std::nullopt;
      return "non-zero return code " + std::to_string(r.exit_code);
    };
    n.apply(a);
  } catch (const StepFailure& f) {
    run.unreachable = f.unreachable && !run.result;
    run.error = f.what();
  }
  return run;
}

// Windows ends lines with CR LF: shown as lines, as Ansible shows them. A CR anywhere else
// stays, and is escaped: it could overwrite what the terminal shows.
std::string unix_lines(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i)
    if (!(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) out += text[i];
  return out;
}

// As `ansible HOST -m win_command` prints it; everything the node sent is escaped.
void print_host(std::ostream& out, const std::string& host, const HostRun& run) {
  const std::string name = terminal_safe(host);
  if (!run.result) {
    out << name << (run.unreachable ? " | UNREACHABLE! => " : " | FAILED! => ")
        << terminal_safe(run.error) << "\n";
    return;
  }
  const CommandResult& r = *run.result;
  out << name << (r.exit_code == 0 ? " | CHANGED" : " | FAILED") << " | rc=" << r.exit_code
      << " >>\n";
  for (const std::string* text : {&r.stdout_utf8, &r.stderr_utf8}) {
    if (text->empty()) continue;
    std::string shown = terminal_safe(unix_lines(*text), Lines::many);
    out << shown << (shown.back() == '\n' ? "" : "\n");
  }
}

ClusterStatus worse(ClusterStatus a, ClusterStatus b) {
  auto rank = [](ClusterStatus s) {
    return s == ClusterStatus::unreachable ? 2 : s == ClusterStatus::failed ? 1 : 0;
  };
  return rank(b) > rank(a) ? b : a;
}

}  // namespace

bool exec_confirmed(const CliOptions& o, const std::vector<Cluster>& clusters,
                    const ConfirmFn& confirm) {
  if (o.yes) return true;
  auto targets = targets_of(clusters);
  std::string names;
  for (const auto& t : targets) names += (names.empty() ? "" : ", ") + t.host.name;
  return confirm("Run " + display(program_command(o)) + " on " + std::to_string(targets.size()) +
                     " host(s) (" + names +
                     ")? lkrecover changes nothing by itself, but the program may. Type "
                     "'yes' to go on: ",
                 "yes");
}

RunSummary exec_on_hosts(const CliOptions& o, const std::vector<Cluster>& clusters, EventSink& sink,
                         Console& console, const TransportFactory& make_transport,
                         std::ostream& out) {
  const Command command = program_command(o);
  const auto targets = targets_of(clusters);
  std::vector<HostRun> runs(targets.size());
  std::vector<HostTally> tallies(targets.size());
  std::vector<std::size_t> index(targets.size());
  for (std::size_t i = 0; i < index.size(); ++i) index[i] = i;
  ForkLimiter forks(o.forks, o.parallel_connects);
  SessionSettings settings;
  settings.command_timeout = std::chrono::seconds(o.command_timeout_s);
  run_parallel<std::size_t>(index, [&](const std::size_t& i) {
    const Target& t = targets[i];
    NodeSession n(t.cluster, t.host, make_transport(t.host), sink, console, forks, settings);
    runs[i] = run_on_host(n, command);
    tallies[i] = n.tally();
  });
  RunSummary summary;
  for (const auto& c : clusters) {
    ClusterOutcome outcome;
    outcome.name = c.name;
    outcome.replaced = c.replaced;
    outcome.status = ClusterStatus::changed;
    summary.clusters.push_back(outcome);
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    print_host(out, targets[i].host.name, runs[i]);
    for (auto& outcome : summary.clusters) {
      if (outcome.name != targets[i].cluster) continue;
      outcome.hosts[targets[i].host.name] = tallies[i];
      ClusterStatus s = runs[i].unreachable     ? ClusterStatus::unreachable
                        : runs[i].error.empty() ? ClusterStatus::changed
                                                : ClusterStatus::failed;
      if (s != ClusterStatus::changed && outcome.reason.empty()) {
        outcome.failed_step = "exec";
        outcome.failed_host = targets[i].host.name;
        outcome.reason = runs[i].error;
      }
      outcome.status = worse(outcome.status, s);
    }
  }
  // A cluster whose hosts --limit left out (or that shares them all) was not acted on.
  std::erase_if(summary.clusters, [](const ClusterOutcome& c) { return c.hosts.empty(); });
  summary.interrupted = interrupted();
  return summary;
}

}  // namespace lkr
