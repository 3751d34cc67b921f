// The command line: `lkrecover COMMAND -i INVENTORY [options]`, an Ansible user's habits.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "controller/connect_pacer.h"

namespace lkr {

enum class Mode { check, run, verify, ping, facts, exec, audit_verify, report };

struct CliOptions {
  Mode mode = Mode::check;
  // -i (repeatable, merged); empty: ANSIBLE_INVENTORY, then ansible.cfg's inventory.
  std::vector<std::string> inventory;
  std::string playbook_dir;           // --playbook-dir: its group_vars/ and host_vars/ too
  std::vector<std::string> clusters;  // --cluster (repeatable)
  bool all_clusters = false;          // --all
  std::string replaced;               // --replaced
  int forks = 20;
  // --parallel-connects: connections being opened at once (connect_pacer.h)
  int parallel_connects = default_parallel_connects();
  std::string limit;
  std::string log_dir = "./lkrecover-runs";
  int verbosity = 0;         // -v durations, -vv outputs, -vvv connection details
  bool no_progress = false;  // --no-progress: plain timestamped lines even on a terminal
  bool json = false;
  std::string known_hosts;
  bool accept_new_host_keys = false;
  bool ask_pass = false;
  std::string password_env;
  int command_timeout_s = 300;
  int connect_timeout_s = 15;
  bool yes = false;
  bool trust_replaced = false;
  bool purge_resources = false;
  bool allow_multitarget_jobs = false;
  std::size_t max_output_bytes = 64u << 20;
  std::string audit_run_dir;           // `audit verify RUN_DIR`, `report RUN_DIR`
  std::string audit_key;               // --audit-key FILE (default: default_audit_key_path())
  std::string report_out;              // `report --out DIR` (default: the run folder)
  std::string raw_dir;                 // `facts --raw DIR`: every output's bytes, for a bug report
  std::vector<std::string> exec_argv;  // `exec ... -- PROGRAM ARGS...`
  bool all_hosts = false;              // `exec --all-hosts`: no --limit, on purpose
  std::vector<std::string>
      argv;  // as given, for run.json (holds no secret: passwords never go on argv)
};

// Thrown for bad options: the message says what is wrong and what to do.
struct CliError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Returns nullopt when --help or --version was asked for (the text is already printed).
std::optional<CliOptions> parse_cli(int argc, char** argv);

std::string usage_text();

// "lkrecover <version> (<git commit>)": `lkrecover --version`, help2man's man page.
std::string version_text();

const char* mode_name(Mode m);  // "check", "run", "verify", "ping", "exec", "audit"

}  // namespace lkr
