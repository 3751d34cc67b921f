// lkrecover: entry point. Parses options, loads the inventory, opens the audit trail,
// hands the clusters to the orchestrator, prints the recap, exits with Ansible's codes.
#include <syslog.h>

#include <cstdio>
#include <iostream>

#include "controller/audit_key.h"
#include "controller/audit_trail.h"
#include "controller/audit_verifier.h"
#include "controller/cli_options.h"
#include "controller/console.h"
#include "controller/exec_command.h"
#include "controller/exit_codes.h"
#include "controller/interrupt.h"
#include "controller/open_files_limit.h"
#include "controller/orchestrator.h"
#include "controller/password_source.h"
#include "controller/process_hygiene.h"
#include "controller/report/run_report_model.h"
#include "controller/report/run_report_writer.h"
#include "controller/run_lock.h"
#include "controller/summary_json.h"
#include "controller/transport_factory.h"
#include "inventory/inventory.h"
#include "inventory/inventory_sources.h"

namespace {

using namespace lkr;

std::vector<Cluster> choose_clusters(const CliOptions& o, Inventory& inv) {
  if (!o.limit.empty()) apply_limit(inv, o.limit);
  std::vector<Cluster> chosen;
  if (!o.clusters.empty()) {
    chosen = select_clusters(inv, o.clusters).clusters;
  } else if (o.all_clusters || o.mode == Mode::ping || o.mode == Mode::verify ||
             o.mode == Mode::facts || o.mode == Mode::check || o.mode == Mode::exec ||
             inv.clusters.size() == 1) {
    chosen = inv.clusters;
  } else {
    std::string names;
    for (const auto& c : inv.clusters) names += (names.empty() ? "" : ", ") + c.name;
    throw CliError("the inventory holds " + std::to_string(inv.clusters.size()) + " clusters (" +
                   names + "): name them with --cluster NAME, or pass --all");
  }
  if (!o.replaced.empty()) {
    // --replaced applies to the one --cluster named (validated in parse_cli).
    Inventory one = inv;
    one.clusters = chosen;
    apply_replaced_override(one, o.replaced);
    chosen = one.clusters;
  }
  return chosen;
}

std::filesystem::path audit_key_path(const CliOptions& o) {
  return o.audit_key.empty() ? default_audit_key_path() : std::filesystem::path(o.audit_key);
}

// The end of the trail, where the operator and the system journal see it: a trail
// rewritten afterwards no longer ends in the hash they recorded.
void record_chain_head(AuditTrail& audit, const std::optional<AuditKey>& key, int code,
                       Console& console) {
  auto [count, last] = audit.chain_head();
  std::string text = "audit trail " + audit.run_id() + ": " + std::to_string(count) +
                     " events, last SHA-256 " + last +
                     (key ? ", signed with audit key " + key->id : ", not signed");
  console.line(text);
  ::openlog("lkrecover", LOG_PID, LOG_USER);
  ::syslog(LOG_INFO, "%s, exit code %d", text.c_str(), code);
  ::closelog();
}

int audit_verify(const CliOptions& o) {
  std::optional<AuditKey> key = load_audit_key(audit_key_path(o));
  auto problems = verify_audit_chain(o.audit_run_dir, key);
  // A run killed part way leaves a shorter trail, not a tampered one: said apart.
  auto unfinished = unfinished_run(o.audit_run_dir);
  if (problems.empty()) std::cout << o.audit_run_dir << ": audit trail intact\n";
  for (const auto& p : problems) std::cout << o.audit_run_dir << ": " << p << "\n";
  if (unfinished) std::cout << o.audit_run_dir << ": " << *unfinished << "\n";
  return problems.empty() ? exit_code::ok : exit_code::error;
}

// The run as report.html and report.md in its audit folder. A report that cannot be
// written costs a warning, never the run's exit code: the trail itself is complete.
void write_report(const std::string& run_dir, const std::optional<AuditKey>& key,
                  Console& console) {
  try {
    console.line("report: " + report::write_run_report(run_dir, {}, key).html.string());
  } catch (const std::exception& e) {
    console.warn("report not written (" + run_dir + "/report.html): " + e.what());
  }
}

int report_command(const CliOptions& o) {
  auto files =
      report::write_run_report(o.audit_run_dir, o.report_out, load_audit_key(audit_key_path(o)));
  std::cout << files.html.string() << "\n" << files.markdown.string() << "\n";
  return exit_code::ok;
}

// `exec`: one program on the hosts, once confirmed; each host's block on stdout.
int exec_program(const CliOptions& o, const std::vector<Cluster>& clusters, AuditTrail& audit,
                 Console& console, const TransportFactory& transports,
                 const std::optional<AuditKey>& key) {
  RunSummary summary;
  if (exec_confirmed(o, clusters, confirm_on_terminal)) {
    summary = exec_on_hosts(o, clusters, audit, console, transports, std::cout);
  } else {
    summary.not_confirmed = true;
    console.warn("not confirmed: nothing was run (pass --yes where no one can answer)");
  }
  int code = summary.exit_code();
  audit.finish(summary, code);
  record_chain_head(audit, key, code, console);
  console.line("audit folder: " + audit.dir().string());
  return code;
}

int run(const CliOptions& o) {
  // `facts` and `exec` print their results on stdout: the human text goes to stderr.
  Console console(o.json || o.mode == Mode::facts || o.mode == Mode::exec, o.verbosity,
                  !o.no_progress);
  Inventory inv =
      load_inventory(inventory_sources(o.inventory), playbook_dir_source(o.playbook_dir));
  for (const auto& w : inv.warnings) console.warn(w);
  std::vector<Cluster> clusters = choose_clusters(o, inv);
  if (clusters.empty()) throw CliError("no cluster left to act on (check --cluster / --limit)");
  std::size_t hosts = 0;
  for (const auto& c : clusters) hosts += c.hosts.size();
  std::string descriptors = open_files_shortfall(raise_open_files_limit(), hosts);
  if (!descriptors.empty()) console.warn(descriptors);
  auto password = password_from_options(o.ask_pass, o.password_env);

  RunStart start;
  start.key = load_or_create_audit_key(audit_key_path(o));
  start.argv = o.argv;  // passwords never reach argv (--ask-pass / --password-env)
  start.inventory_path = inv.path;
  start.inventory_sha256 = inv.sha256;
  start.mode = mode_name(o.mode);
  for (const auto& c : clusters) {
    ClusterOutcome pending;
    pending.name = c.name;
    pending.replaced = c.replaced;
    start.clusters.push_back(pending);
  }
  AuditTrail audit(o.log_dir, start);
  const std::string run_dir = audit.dir().string();
  std::vector<std::string> names;
  for (const auto& c : clusters) names.push_back(c.name);
  // Two runs must never work on one cluster at once; read-only modes need no lock.
  // A refused run keeps its own (short) audit record of the refusal.
  std::optional<RunLock> lock;
  if (o.mode == Mode::run) {
    try {
      lock.emplace(o.log_dir, audit.run_id(), names);
    } catch (const RunLockRefused& e) {
      audit.note("", "", "lock", e.what());
      RunSummary refused;
      refused.clusters = start.clusters;
      audit.finish(refused, exit_code::error);
      throw;
    }
    // A run killed with SIGKILL leaves its entry behind: say that it was taken over.
    for (const auto& h : lock->stale_taken_over()) {
      std::string text = "lock entry of run " + h.run_id + " (pid " + std::to_string(h.pid) +
                         ", started " + h.started + ") taken over: that process is gone; its " +
                         "clusters' facts are read again before any change";
      audit.note("", "", "lock", text);
      console.warn(text);
    }
  }
  console.line("lkrecover " + start.mode + ": " + std::to_string(clusters.size()) +
               " cluster(s); audit folder " + run_dir);
  if (o.mode == Mode::exec)
    return exec_program(o, clusters, audit, console, host_transport_factory(o, password),
                        start.key);
  Orchestrator orchestrator(o, clusters, audit, console, host_transport_factory(o, password),
                            confirm_on_terminal);
  RunSummary summary = orchestrator.run();
  console.recap(summary);
  int code = summary.exit_code();
  audit.finish(summary, code);
  record_chain_head(audit, start.key, code, console);
  if (o.mode == Mode::run || o.mode == Mode::check || o.mode == Mode::verify)
    write_report(run_dir, start.key, console);
  if (o.mode == Mode::facts) {
    std::cout << nlohmann::json{{"hosts", orchestrator.facts()}}.dump(2) << "\n";
  } else if (o.json) {
    std::cout << summary_json(summary, run_dir, code).dump(2) << "\n";
  }
  console.line("audit folder: " + run_dir);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  lkr::ProcessHygiene hygiene(argc, argv);  // first: no core, no dump, password off environ
  install_interrupt_handlers();
  std::optional<CliOptions> options;
  try {
    options = parse_cli(argc, argv);
    if (!options) return exit_code::ok;  // --help
    if (options->mode == Mode::audit_verify) return audit_verify(*options);
    if (options->mode == Mode::report) return report_command(*options);
    return run(*options);
  } catch (const CliError& e) {
    std::fprintf(stderr, "lkrecover: %s\n", e.what());
    return exit_code::bad_input;
  } catch (const InventoryError& e) {
    std::fprintf(stderr, "lkrecover: inventory: %s\n", e.what());
    return exit_code::bad_input;
  } catch (const report::ReportError& e) {
    std::fprintf(stderr, "lkrecover: report: %s\n", e.what());
    return exit_code::bad_input;
  } catch (const AuditKeyError& e) {
    std::fprintf(stderr, "lkrecover: %s\n", e.what());
    return exit_code::error;
  } catch (const RunLockRefused& e) {
    std::fprintf(stderr, "lkrecover: %s\n", e.what());
    return exit_code::error;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lkrecover: error: %s\n", e.what());
    return exit_code::error;
  }
}
