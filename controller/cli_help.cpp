#include "controller/cli_help.h"

#include <sstream>

namespace lkr {
namespace {

namespace po = boost::program_options;

struct CommandText {
  std::string name;
  const char* synopsis;
  const char* about;
  std::vector<std::string> options;  // long names, in the order shown
  const char* example;
};

// Reaching nodes: every command that connects takes these.
const std::vector<std::string> kConnection = {
    "inventory",       "playbook-dir",         "limit",    "forks",        "parallel-connects",
    "known-hosts",     "accept-new-host-keys", "ask-pass", "password-env", "command-timeout",
    "connect-timeout", "max-output",           "log-dir",  "audit-key",    "no-progress",
    "verbose"};

std::vector<std::string> with_connection(std::vector<std::string> own) {
  own.insert(own.end(), kConnection.begin(), kConnection.end());
  own.push_back("help");
  return own;
}

const std::vector<CommandText>& texts() {
  static const std::vector<CommandText> all = {
      {"check", "lkrecover check -i INVENTORY [--cluster NAME ...|--all] [options]",
       "Read-only: connects to every node of the chosen clusters, reads their facts and\n"
       "prints the plan, every command `run` would send, marked read-only / change /\n"
       "cluster-serial. Nothing is changed. This is what Ansible's --check and --diff do.\n",
       with_connection({"cluster", "all", "replaced", "trust-replaced", "purge-resources",
                        "allow-multitarget-jobs", "json"}),
       "lkrecover check -i inventory.yml --cluster sql"},
      {"run", "lkrecover run -i INVENTORY [--cluster NAME ...|--all] [options]",
       "Plans as `check` does, asks for confirmation (unless --yes), then cleans every\n"
       "surviving node of everything that refers to the reinstalled node (equivalencies,\n"
       "LKDRInfo files, DataKeeper jobs and mirrors, the system, its comm paths), commits\n"
       "with lcdsync, verifies, and prints what to extend to the node again.\n",
       with_connection({"cluster", "all", "replaced", "yes", "trust-replaced", "purge-resources",
                        "allow-multitarget-jobs", "json"}),
       "lkrecover run -i inventory.yml --cluster sql"},
      {"verify", "lkrecover verify -i INVENTORY [--cluster NAME ...|--all] [options]",
       "Read-only: checks the post-conditions of a recovery (no trace of the replaced node\n"
       "left on any survivor) without planning or changing anything.\n",
       with_connection({"cluster", "all", "replaced", "json"}),
       "lkrecover verify -i inventory.yml --all"},
      {"ping", "lkrecover ping -i INVENTORY [--cluster NAME ...|--all] [options]",
       "Read-only: connects to every host, reads its code page and checks that LifeKeeper\n"
       "answers. Ansible's `win_ping`, plus LifeKeeper.\n",
       with_connection({"cluster", "all", "json"}), "lkrecover ping -i inventory.yml"},
      {"facts", "lkrecover facts -i INVENTORY [--limit PATTERN] [--raw DIR] [options]",
       "Read-only: runs every discovery command on each host and prints, as JSON on stdout,\n"
       "what was parsed, each output with a verdict (recognised, or the line that was not).\n"
       "With --raw, every output is also saved byte for byte, for a bug report.\n",
       with_connection({"cluster", "all", "raw"}),
       "lkrecover facts -i inventory.yml --limit node1 --raw /tmp/facts"},
      {"exec",
       "lkrecover exec -i INVENTORY (--limit PATTERN|--all-hosts) [options] -- PROGRAM [ARGS...]",
       "Runs one program on the selected hosts, as `ansible -m win_command` does: through\n"
       "the same connections, quoting (each argument reaches PROGRAM as given; nothing is\n"
       "interpreted by cmd.exe) and audit trail as `run`. Prints per host\n"
       "`HOST | CHANGED | rc=0 >>` (or FAILED) and the output. lkrecover changes nothing by\n"
       "itself, but PROGRAM may: it asks for confirmation unless --yes. Exit codes: 0 every\n"
       "host ran it with exit code 0, 2 a host returned non-zero, 4 a host was unreachable.\n",
       with_connection({"all-hosts", "yes"}),
       "lkrecover exec -i inventory.yml --limit sql1 -- C:\\Windows\\System32\\hostname.exe"},
  };
  return all;
}

const char* kAuditHelp =
    "Usage: lkrecover audit verify RUN_DIR [--audit-key FILE]\n"
    "\n"
    "Checks one run's audit trail (RUN_DIR = LOG_DIR/<run-id>/): that the hash chain of\n"
    "events.jsonl holds from the first event to the last, that run.json matches it and,\n"
    "with the key, every HMAC. Says apart a run that was killed part way (a shorter trail)\n"
    "from one that was rewritten. Exit code 0 when intact, 1 otherwise.\n"
    "\n"
    "Options:\n"
    "  --audit-key FILE   the key the run was signed with (default: $LKR_AUDIT_KEY, else\n"
    "                     ~/.config/lkrecover/audit.key)\n"
    "\n"
    "Example:\n"
    "  lkrecover audit verify lkrecover-runs/20261125T034500Z-1a2b3c\n";

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

std::string render(const CommandText& t, const po::options_description& all) {
  po::options_description own("Options");
  for (const std::string& name : t.options)
    for (const auto& option : all.options())
      if (option->long_name() == name) own.add(option);
  std::ostringstream out;
  out << "Usage: " << t.synopsis << "\n\n"
      << t.about << "\n"
      << own << "\nExample:\n  " << t.example << "\n";
  return out.str();
}

}  // namespace

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names = {"check", "run",   "verify", "ping", "facts",
                                                 "exec",  "audit", "report", "help", "version"};
  return names;
}

std::optional<std::string> command_help(const std::string& command,
                                        const po::options_description& all) {
  if (command == "audit") return std::string(kAuditHelp);
  if (command == "report") return std::string(kReportHelp);
  for (const auto& t : texts())
    if (t.name == command) return render(t, all);
  return std::nullopt;
}

}  // namespace lkr
