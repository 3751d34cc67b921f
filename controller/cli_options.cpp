#include "controller/cli_options.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <sstream>

#include "controller/ansible_reflexes.h"
#include "controller/cli_help.h"
#include "controller/connect_retry.h"
#include "inventory/edit_distance.h"
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
    "  lkrecover exec   -i INVENTORY --limit HOSTS -- PROGRAM ARGS  one program on the hosts\n"
    "  lkrecover audit verify RUN_DIR [--audit-key FILE]          check an audit trail's hash "
    "chain\n"
    "  lkrecover report RUN_DIR [--out DIR]                       the run as one HTML page and "
    "Markdown\n"
    "\n"
    "Options go before or after the command. `lkrecover help COMMAND` (or\n"
    "`lkrecover COMMAND --help`) shows the command's own options and an example.\n"
    "\n"
    "Start with `check`: it changes nothing and shows every command `run` would send,\n"
    "marked read-only / change / cluster-serial.\n"
    "\n"
    "Exit codes: 0 ok, 1 error, 2 a host failed, 4 unreachable, 5 bad options or\n"
    "inventory, 99 interrupted.\n";

// From the retry policy itself, so the help cannot drift from what a run does.
std::string parallel_connects_help() {
  ConnectRetry r;
  std::string delays;
  for (int next = 2; next <= r.attempts; ++next)
    delays += (delays.empty() ? "" : " then ") + delay_text(retry_delay(r, next));
  return "connections being opened at once (TCP, SSH or TLS handshake, login), across all "
         "hosts; each waits its turn before --connect-timeout starts, so hundreds of hosts do "
         "not all handshake at once. A connect that fails before anything was sent (refused, "
         "reset, timed out) is tried " +
         std::to_string(r.attempts) + " times in all, " + delays +
         " apart; a refused login or host key is not retried";
}

po::options_description describe(CliOptions& o) {
  po::options_description d("Options");
  d.add_options()("help,h", "show this help")                                //
      ("version", "print the version and the git commit it was built from")  //
      ("inventory,i", po::value(&o.inventory)->composing()->value_name("FILE|DIR"),
       "Ansible inventory (YAML, INI, ansible-inventory --list JSON, or a folder of them); "
       "repeatable; a comma list `HOST,HOST:PORT,` also works; default: ANSIBLE_INVENTORY, "
       "then ansible.cfg's inventory")  //
      ("playbook-dir", po::value(&o.playbook_dir)->value_name("DIR"),
       "also read DIR/group_vars/ and DIR/host_vars/, above the inventory's own, as "
       "ansible-playbook does for the playbook's folder; default: ANSIBLE_PLAYBOOK_DIR, then "
       "ansible.cfg's playbook_dir")  //
      ("cluster", po::value(&o.clusters)->composing()->value_name("NAME"),
       "cluster (inventory group with lk_cluster: true) to act on; repeatable")           //
      ("all", po::bool_switch(&o.all_clusters), "act on every cluster of the inventory")  //
      ("replaced", po::value(&o.replaced)->value_name("SYSTEM"),
       "the reinstalled node's LifeKeeper system name (overrides lk_replaced)")  //
      ("forks,f", po::value(&o.forks)->value_name("N")->default_value(20),
       "hosts with a command in flight at once")  //
      ("parallel-connects",
       po::value(&o.parallel_connects)
           ->value_name("N")
           ->default_value(default_parallel_connects(), std::to_string(kConnectsPerCore) +
                                                            " per CPU core, at least " +
                                                            std::to_string(kMinParallelConnects)),
       parallel_connects_help().c_str())  //
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
       "seconds to connect and authenticate")                                            //
      ("yes,y", po::bool_switch(&o.yes), "do not ask for confirmation (`run`, `exec`)")  //
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
      ("all-hosts", po::bool_switch(&o.all_hosts),
       "`exec`: run on every host of the inventory (instead of --limit)")  //
      ("out", po::value(&o.report_out)->value_name("DIR"),
       "`report`: write the report into DIR, not the run folder")  //
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

std::string unknown_command(const std::string& word) {
  std::string text = "unknown command '" + word + "'";
  std::string near = nearest_name(word, command_names());
  // Only a near miss is worth a guess: two edits, and fewer than the word's own length.
  int distance = edit_distance(word, near);
  if (distance <= 2 && distance < static_cast<int>(word.size()))
    text += ": did you mean '" + near + "'?";
  return text + " (commands: check, run, verify, ping, facts, exec, audit verify, report)";
}

// `-i FILE`, `--limit PATTERN`: the next word is the option's value, not a command.
// `--limit=x` and `-iFILE` carry theirs; grouped switches (`-yk`) take none.
bool takes_separate_value(const std::string& arg, const po::options_description& d) {
  const bool long_form = arg.rfind("--", 0) == 0;
  if (long_form && arg.find('=') != std::string::npos) return false;
  if (!long_form && arg.size() != 2) return false;
  for (const auto& option : d.options()) {
    bool named =
        long_form
            ? "--" + option->long_name() == arg
            : option->canonical_display_name(po::command_line_style::allow_dash_for_short) == arg;
    if (named) return option->semantic()->max_tokens() > 0;
  }
  return false;
}

void validate_exec(const CliOptions& o) {
  if (o.mode != Mode::exec) {
    if (o.all_hosts) throw CliError("--all-hosts goes with `lkrecover exec`");
    return;
  }
  if (o.exec_argv.empty() || o.exec_argv[0].empty())
    throw CliError(
        "exec: name the program after `--`: lkrecover exec -i INVENTORY --limit "
        "HOSTS -- PROGRAM ARGS...");
  if (o.limit.empty() && !o.all_hosts)
    throw CliError(
        "exec: choose the hosts with --limit PATTERN, or pass --all-hosts to run "
        "the program on every host of the inventory");
  if (!o.limit.empty() && o.all_hosts)
    throw CliError("--limit and --all-hosts exclude each other: pick one");
  if (o.json)
    throw CliError(
        "exec prints each host's result as Ansible does; --json goes with run, "
        "check, verify and ping");
  if (!o.clusters.empty() || o.all_clusters)
    throw CliError(
        "exec chooses hosts, not clusters: use --limit (a cluster's group name "
        "works as a pattern)");
}

Mode parse_mode(const std::string& word) {
  if (word == "check") return Mode::check;
  if (word == "run") return Mode::run;
  if (word == "verify") return Mode::verify;
  if (word == "ping") return Mode::ping;
  if (word == "facts") return Mode::facts;
  if (word == "exec") return Mode::exec;
  if (word == "audit") return Mode::audit_verify;
  if (word == "report") return Mode::report;
  throw CliError(unknown_command(word));
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
  if (o.forks < 1) throw CliError("--forks must be at least 1");
  if (o.parallel_connects < 1) throw CliError("--parallel-connects must be at least 1");
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
  if (!o.report_out.empty()) throw CliError("--out goes with `lkrecover report`");
  validate_exec(o);
}

// `report RUN_DIR [--out DIR]` and `audit verify RUN_DIR`: nothing else applies (no
// inventory, no node is reached).
std::optional<CliOptions> parse_folder_args(const std::vector<std::string>& args, CliOptions o) {
  const bool report = o.mode == Mode::report;
  const std::string usage =
      report ? "usage: lkrecover report RUN_DIR [--out DIR] (see lkrecover report --help)"
             : "usage: lkrecover audit verify RUN_DIR [--audit-key FILE]";
  for (size_t i = 0; i < args.size(); ++i) {
    if (report && args[i] == "--out" && i + 1 < args.size()) {
      o.report_out = args[++i];
    } else if (report && args[i].rfind("--out=", 0) == 0) {
      o.report_out = args[i].substr(6);
    } else if (args[i] == "--audit-key" && i + 1 < args.size()) {
      o.audit_key = args[++i];
    } else if (args[i].rfind("--audit-key=", 0) == 0) {
      o.audit_key = args[i].substr(12);
    } else if (args[i].empty() || args[i][0] == '-' || !o.audit_run_dir.empty()) {
      throw CliError(usage);
    } else {
      o.audit_run_dir = args[i];
    }
  }
  if (o.audit_run_dir.empty()) throw CliError(usage);
  return o;
}

bool has_word(const std::vector<std::string>& args, std::initializer_list<const char*> words) {
  for (const auto& a : args)
    for (const char* w : words)
      if (a == w) return true;
  return false;
}

// Where the command words are among options in any order: every word that is neither an
// option nor the value of the option before it.
std::vector<std::size_t> positional_indexes(const std::vector<std::string>& args,
                                            const po::options_description& d) {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 2 || a[0] != '-') {
      found.push_back(i);
    } else if (takes_separate_value(a, d)) {
      ++i;
    }
  }
  return found;
}

bool print_help(const std::string& command, const po::options_description& d) {
  if (auto text = command_help(command, d)) {
    std::cout << *text;
    return true;
  }
  throw CliError(unknown_command(command));
}

// `--help` or `--version` with no command, `help [COMMAND]`, `version`: printed; true.
bool answered_without_command(const std::vector<std::string>& args,
                              const std::vector<std::size_t>& words,
                              const po::options_description& d) {
  const bool help = has_word(args, {"--help", "-h"});
  if (words.empty()) {
    if (!help && !has_word(args, {"--version"}))
      throw CliError("no command given: use check, run, verify, ping, facts or exec (see --help)");
    std::cout << (help ? usage_text() : version_text() + "\n");
    return true;
  }
  const std::string& command = args[words[0]];
  if (command == "version") {
    std::cout << version_text() << "\n";
  } else if (command == "help" && words.size() < 2) {
    std::cout << usage_text();
  } else if (command == "help") {
    print_help(args[words[1]], d);
  } else {
    return false;
  }
  return true;
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
    case Mode::exec:
      return "exec";
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
  // After `--` come exec's program and its arguments: none of them is ours.
  auto dashes = std::find(args.begin(), args.end(), std::string("--"));
  const bool has_program = dashes != args.end();
  if (has_program) {
    o.exec_argv.assign(dashes + 1, args.end());
    args.erase(dashes, args.end());
  }
  if (auto advice = ansible_reflex_advice(args)) throw CliError(*advice);
  o.verbosity = take_verbosity(args);
  auto desc = describe(o);
  auto words = positional_indexes(args, desc);
  if (answered_without_command(args, words, desc)) return std::nullopt;
  const std::string command = args[words[0]];
  o.mode = parse_mode(command);
  if (has_word(args, {"--help", "-h"}) && print_help(command, desc)) return std::nullopt;
  if (has_program && o.mode != Mode::exec)
    throw CliError("`--` goes with `lkrecover exec ... -- PROGRAM ARGS...` only");
  args.erase(args.begin() + static_cast<std::ptrdiff_t>(words[0]));
  if (o.mode == Mode::audit_verify) {
    if (words.size() < 2 || args[words[1] - 1] != "verify")
      throw CliError("usage: lkrecover audit verify RUN_DIR [--audit-key FILE]");
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(words[1] - 1));
  }
  if (o.mode == Mode::audit_verify || o.mode == Mode::report) return parse_folder_args(args, o);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw CliError(std::string(e.what()) + " (see lkrecover " + command + " --help)");
  }
  if (vm.count("version")) {
    std::cout << version_text() << "\n";
    return std::nullopt;
  }
  validate(o);
  return o;
}

}  // namespace lkr
