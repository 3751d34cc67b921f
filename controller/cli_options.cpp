#include "controller/cli_options.h"

#include <boost/program_options.hpp>
#include <iostream>
#include <sstream>

#include "lkrecover_version.h"  // generated: cmake/LkrVersion.cmake

namespace po = boost::program_options;

namespace lkr {
namespace {

const char* kIntro =
    "lkrecover: recover a SIOS LifeKeeper for Windows cluster after one node's OS was\n"
    "reinstalled. It cleans every surviving node of everything that refers to the\n"
    "reinstalled node (equivalencies, LKDRInfo files, DataKeeper jobs and mirrors, the\n"
    "system, its comm paths), commits with lcdsync, verifies, and prints what to extend again.\n"
    "\n"
    "Usage:\n"
    "  lkrecover check  -i INVENTORY [--cluster NAME ...|--all]   read-only: facts + the plan\n"
    "  lkrecover run    -i INVENTORY [--cluster NAME ...|--all]   plan, confirm, apply, verify\n"
    "  lkrecover verify -i INVENTORY [--cluster NAME ...|--all]   post-conditions only\n"
    "  lkrecover ping   -i INVENTORY                              reachability + LifeKeeper\n"
    "  lkrecover facts  -i INVENTORY [--limit H] [--raw DIR]      every discovery command, "
    "parsed,\n"
    "                                                             as JSON, each with a verdict\n"
    "  lkrecover audit verify RUN_DIR [--audit-key FILE]          check an audit trail's hash "
    "chain\n"
    "  lkrecover report RUN_DIR [--out DIR]                       the run as one HTML page and "
    "Markdown\n"
    "\n"
    "Start with `check`: it changes nothing and shows every command `run` would send,\n"
    "marked read-only / change / cluster-serial.\n"
    "\n"
    "Exit codes: 0 ok, 1 error, 2 a host failed, 4 unreachable, 5 bad options or\n"
    "inventory, 99 interrupted.\n";

const char* kReportHelp =
    "Usage: lkrecover report RUN_DIR [--out DIR] [--audit-key FILE]\n"
    "\n"
    "Turns one run's audit folder (RUN_DIR = LOG_DIR/<run-id>/, printed at the end of every\n"
    "run as \"audit folder: ...\") into a report a person reads: report.html, one page that\n"
    "needs nothing but a browser (no network, no script), and report.md for a ticket.\n"
    "Per cluster it shows the outcome (status, failed step and host, reason, what to run\n"
    "next), who approved the plan and how, with the saved plan and its SHA-256, a timeline\n"
    "of every command on every host with the cluster-serial windows (the steps run on one\n"
    "node at a time) shaded, and every command with its output, folded. Then whether the\n"
    "audit trail's hash chain holds (as `lkrecover audit verify`), and last the\n"
    "re-extension checklist: what to extend to the reinstalled node again.\n"
    "\n"
    "`run`, `check` and `verify` write it into their audit folder when they end; this\n"
    "command writes it again, e.g. for a run that was killed.\n"
    "\n"
    "Options:\n"
    "  --out DIR          write the two files into DIR (created if missing), not RUN_DIR\n"
    "  --audit-key FILE   the key the run was signed with, to check the HMACs too\n"
    "                     (default: as for `run`; a signed run checked without it is\n"
    "                     reported as not verified)\n"
    "\n"
    "Example:\n"
    "  lkrecover report lkrecover-runs/20261125T034500Z-1a2b3c\n"
    "  xdg-open lkrecover-runs/20261125T034500Z-1a2b3c/report.html\n";

po::options_description describe(CliOptions& o) {
  po::options_description d("Options");
  d.add_options()("help,h", "show this help")                                //
      ("version", "print the version and the git commit it was built from")  //
      ("inventory,i", po::value(&o.inventory)->value_name("FILE"),
       "Ansible-style inventory (YAML, or JSON of the same shape)")  //
      ("cluster", po::value(&o.clusters)->composing()->value_name("NAME"),
       "cluster (inventory group with lk_cluster: true) to act on; repeatable")           //
      ("all", po::bool_switch(&o.all_clusters), "act on every cluster of the inventory")  //
      ("replaced", po::value(&o.replaced)->value_name("SYSTEM"),
       "the reinstalled node's LifeKeeper system name (overrides lk_replaced)")  //
      ("forks,f", po::value(&o.forks)->value_name("N")->default_value(20),
       "hosts with a command in flight at once")  //
      ("limit,l", po::value(&o.limit)->value_name("PATTERN"),
       "only these hosts/groups (Ansible patterns: a,b  web*  !x  &y)")  //
      ("log-dir", po::value(&o.log_dir)->value_name("DIR")->default_value("./lkrecover-runs"),
       "where each run's audit folder is written")  //
      ("audit-key", po::value(&o.audit_key)->value_name("FILE"),
       "the HMAC key that signs the audit trail (default: $LKR_AUDIT_KEY, else "
       "~/.config/lkrecover/audit.key, created mode 0600 on first use)")                //
      ("json", po::bool_switch(&o.json), "print a machine-readable summary on stdout")  //
      ("known-hosts", po::value(&o.known_hosts)->value_name("FILE"),
       "known_hosts file for host key checks (default: lk_known_hosts, else ~/.ssh/known_hosts)")  //
      ("accept-new-host-keys", po::bool_switch(&o.accept_new_host_keys),
       "record host keys never seen before (a CHANGED key is always refused)")     //
      ("ask-pass,k", po::bool_switch(&o.ask_pass), "prompt for the SSH password")  //
      ("password-env", po::value(&o.password_env)->value_name("VAR"),
       "read the SSH password from environment variable VAR")  //
      ("command-timeout", po::value(&o.command_timeout_s)->value_name("S")->default_value(300),
       "seconds one command may take before it is abandoned")  //
      ("connect-timeout", po::value(&o.connect_timeout_s)->value_name("S")->default_value(15),
       "seconds to connect and authenticate")                                    //
      ("yes,y", po::bool_switch(&o.yes), "do not ask for confirmation (`run`)")  //
      ("trust-replaced", po::bool_switch(&o.trust_replaced),
       "proceed although the replaced node cannot be checked (not in the inventory, or "
       "unreachable)")  //
      ("purge-resources", po::bool_switch(&o.purge_resources),
       "also remove every resource instance (runbook's optional step; asks again)")  //
      ("allow-multitarget-jobs", po::bool_switch(&o.allow_multitarget_jobs),
       "clean DataKeeper jobs that also mirror to another surviving node")  //
      ("raw", po::value(&o.raw_dir)->value_name("DIR"),
       "`facts`: also save every output byte for byte under DIR (secrets masked), to send "
       "with a bug report")  //
      ("max-output", po::value(&o.max_output_bytes)->value_name("BYTES"),
       "output kept per command and stream (excess is dropped and recorded)")  //
      ("no-progress", po::bool_switch(&o.no_progress),
       "no live status lines on a terminal: plain lines, each starting with the local time "
       "(HH:MM:SS), as when the output is a pipe or a file")  //
      ("verbose,v",
       "more output: -v every command (read-only ones too) with its duration, -vv also its "
       "output, -vvv also each connection's details (transport, address, port, auth, host "
       "key)");
  return d;
}

Mode parse_mode(const std::string& word) {
  if (word == "check") return Mode::check;
  if (word == "run") return Mode::run;
  if (word == "verify") return Mode::verify;
  if (word == "ping") return Mode::ping;
  if (word == "facts") return Mode::facts;
  if (word == "audit") return Mode::audit_verify;
  if (word == "report") return Mode::report;
  throw CliError("unknown command '" + word +
                 "': use check, run, verify, ping, facts, audit verify or report");
}

// -v, -vv, -vvv and --verbose each add to the level; Boost has no counting switch. A group
// of switches that take no value (-yv, -kvvv) counts its v's and keeps the others: Boost
// would take its v as one --verbose whatever their number.
int take_verbosity(std::vector<std::string>& args) {
  int level = 0;
  std::vector<std::string> rest;
  for (const auto& a : args) {
    bool switches =
        a.size() >= 2 && a[0] == '-' && a.find_first_not_of("vyk", 1) == std::string::npos;
    if (a == "--verbose") {
      ++level;
    } else if (switches && a.find('v') != std::string::npos) {
      std::string others = "-";
      for (char c : a.substr(1)) {
        if (c == 'v') {
          ++level;
        } else {
          others += c;
        }
      }
      if (others.size() > 1) rest.push_back(others);
    } else {
      rest.push_back(a);
    }
  }
  args = rest;
  return level;
}

void validate(const CliOptions& o) {
  if (o.mode == Mode::audit_verify) {
    if (o.audit_run_dir.empty()) throw CliError("usage: lkrecover audit verify RUN_DIR");
    return;
  }
  if (o.inventory.empty()) throw CliError("no inventory: pass -i FILE (see --help)");
  if (o.forks < 1) throw CliError("--forks must be at least 1");
  if (o.command_timeout_s < 1) throw CliError("--command-timeout must be at least 1 second");
  if (o.connect_timeout_s < 1) throw CliError("--connect-timeout must be at least 1 second");
  if (o.all_clusters && !o.clusters.empty())
    throw CliError("--all and --cluster exclude each other: pick one");
  if (!o.replaced.empty() && o.clusters.size() != 1)
    throw CliError("--replaced names one node of one cluster: pass exactly one --cluster");
  if (!o.raw_dir.empty() && o.mode != Mode::facts)
    throw CliError("--raw goes with `lkrecover facts`");
  if (o.ask_pass && !o.password_env.empty())
    throw CliError("--ask-pass and --password-env exclude each other: pick one");
}

// `report RUN_DIR [--out DIR]`: nothing else applies (no inventory, no node is reached).
std::optional<CliOptions> parse_report_args(const std::vector<std::string>& args, CliOptions o) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::cout << kReportHelp;
      return std::nullopt;
    }
    if (args[i] == "--out" && i + 1 < args.size()) {
      o.report_out = args[++i];
    } else if (args[i].rfind("--out=", 0) == 0) {
      o.report_out = args[i].substr(6);
    } else if (args[i] == "--audit-key" && i + 1 < args.size()) {
      o.audit_key = args[++i];
    } else if (args[i].empty() || args[i][0] == '-' || !o.audit_run_dir.empty()) {
      throw CliError("usage: lkrecover report RUN_DIR [--out DIR] (see lkrecover report --help)");
    } else {
      o.audit_run_dir = args[i];
    }
  }
  if (o.audit_run_dir.empty())
    throw CliError("usage: lkrecover report RUN_DIR [--out DIR] (see lkrecover report --help)");
  return o;
}

}  // namespace

const char* mode_name(Mode m) {
  switch (m) {
    case Mode::check:
      return "check";
    case Mode::run:
      return "run";
    case Mode::verify:
      return "verify";
    case Mode::ping:
      return "ping";
    case Mode::facts:
      return "facts";
    case Mode::audit_verify:
      return "audit";
    case Mode::report:
      return "report";
  }
  return "?";
}

std::string version_text() {
  return std::string("lkrecover ") + LKRECOVER_VERSION + " (" + LKRECOVER_GIT_COMMIT + ")";
}

std::string usage_text() {
  CliOptions scratch;
  std::ostringstream out;
  out << kIntro << "\n" << describe(scratch);
  return out.str();
}

std::optional<CliOptions> parse_cli(int argc, char** argv) {
  CliOptions o;
  std::vector<std::string> args(argv + 1, argv + argc);
  o.argv.assign(argv, argv + argc);
  o.verbosity = take_verbosity(args);
  if (args.empty()) throw CliError("no command given: use check, run, verify or ping (see --help)");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << usage_text();
    return std::nullopt;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::cout << version_text() << "\n";
    return std::nullopt;
  }
  o.mode = parse_mode(args[0]);
  args.erase(args.begin());
  if (o.mode == Mode::audit_verify) {
    const char* usage = "usage: lkrecover audit verify RUN_DIR [--audit-key FILE]";
    if (args.size() == 4 && args[2] == "--audit-key") {
      o.audit_key = args[3];
      args.resize(2);
    }
    if (args.size() != 2 || args[0] != "verify") throw CliError(usage);
    o.audit_run_dir = args[1];
    return o;
  }
  if (o.mode == Mode::report) return parse_report_args(args, o);
  auto desc = describe(o);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw CliError(std::string(e.what()) + " (see lkrecover --help)");
  }
  if (vm.count("help")) {
    std::cout << usage_text();
    return std::nullopt;
  }
  if (vm.count("version")) {
    std::cout << version_text() << "\n";
    return std::nullopt;
  }
  validate(o);
  return o;
}

}  // namespace lkr
