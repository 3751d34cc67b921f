// Helpers for the product's end-to-end tests: run the real build/lkrecover binary
// against a running lab, and read what the lab's journal says was done.
//
// Transports: every runbook test is registered twice with CTest (controller.cmake), once
// as it is (SSH) and once with LKR_E2E_TRANSPORT=winrm and its own subnet
// (LKR_E2E_SUBNET). The test code is the same; `Lab` below starts the scenario's nodes on
// the instance's transport and `lkrecover` hands the product what that transport needs.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/lab/driver/process_runner.h"
#include "tests/lab/driver/tests/lab_fixture.h"

namespace lkr::e2e {

// A fresh folder under $TMPDIR (or /tmp), removed with everything in it at scope end.
struct TempDir {
  explicit TempDir(const std::string& prefix = "lkr-e2e")
      : path(lab::testing::make_temp_dir(prefix)) {}
  ~TempDir() { lab::testing::remove_tree(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path;
};

// Whether this test instance reaches the nodes over WinRM ($LKR_E2E_TRANSPORT=winrm) or
// over SSH (unset or "ssh"; anything else throws, naming the variable).
bool over_winrm();

// The environment variable the product reads the WinRM password from (--password-env).
inline constexpr const char* kWinrmPasswordVar = "LKR_E2E_WINRM_PASSWORD";

namespace detail {
// The scenario as this instance starts it: the file itself over SSH; over WinRM a copy in
// which every node that names no "transport" gets "transport": "winrm" (auth and scheme
// left to the lab's default: NTLM over http with message encryption, as Windows ships
// WinRM). A node that names its transport keeps it: mixed clusters stay mixed.
struct InstanceScenario {
  explicit InstanceScenario(const std::string& scenario);
  ~InstanceScenario();
  InstanceScenario(const InstanceScenario&) = delete;
  InstanceScenario& operator=(const InstanceScenario&) = delete;
  std::string path, copy_dir;
  std::set<std::string> winrm_nodes;  // "CLUSTER/SYSTEM"
};
// $LKR_E2E_SUBNET when set (the WinRM instance's own subnet), else `compiled`.
std::string instance_subnet(const std::string& compiled);
}  // namespace detail

// The lab of an end-to-end test on this instance's transport. Over WinRM, after `lab up`
// the sshd of every WinRM node is stopped, so that only WinRM reaches it (a silent fall
// back to SSH could not pass), and while the lab lives `lkrecover` below gives the product
// the lab's WinRM password through --password-env.
class Lab : private detail::InstanceScenario, public lab::testing::LabFixture {
 public:
  // `subnet`: the test executable's LAB_TEST_SUBNET (evaluated where the test includes
  // this header), unless $LKR_E2E_SUBNET overrides it.
  explicit Lab(const std::string& scenario, const std::string& subnet = LAB_FIXTURE_DEFAULT_SUBNET);
  ~Lab();

  // The password of the lab's WinRM endpoints ("" when no node is on WinRM).
  const std::string& winrm_password() const { return winrm_password_; }
  // Whether the inventory reaches NODE (system or CLUSTER/SYSTEM) over WinRM.
  bool on_winrm(const std::string& node) const;
  // Runs `line` at NODE's console, as typed at its prompt: the node's cmd.exe emulator
  // (lab-cmd) started directly, through no transport.
  lab::ProcessResult console(const std::string& node, const std::string& line) const;

 private:
  std::string winrm_password_;
};

// Runs build/lkrecover with `args` (no shell), stdin empty (so: no TTY). While a `Lab`
// with WinRM nodes lives, run/check/verify/ping get `--password-env` and its password
// in the child's environment only (unless `args` already choose a password source).
lab::ProcessResult lkrecover(const std::vector<std::string>& args, int timeout_ms = 300000);

// `lkrecover run -i INV --all --yes --json --log-dir LOG` and the parsed --json summary.
struct RunOutcome {
  lab::ProcessResult process;
  nlohmann::json summary;  // null when stdout was not JSON
};
RunOutcome run_all(const lab::testing::LabFixture& lab, const std::string& log_dir,
                   std::vector<std::string> extra = {});

// argv[0] base names (lower case, no .exe; "emcmd deletejob" style for emcmd, reg and certutil)
// of every journal entry of a dump.
std::vector<std::string> journal_commands(const nlohmann::json& dump);

// The commands that change a node's state, as journal_commands() names them.
bool is_change_command(const std::string& name);

// The only run folder under `log_dir` (the newest when several).
std::string newest_run_dir(const std::string& log_dir);

// scripts/validate-json SCHEMA FILE: exit 0 = valid.
lab::ProcessResult validate_json(const std::string& schema, const std::string& file);

// Every node's `lab dump` ("CLUSTER/SYSTEM" -> dump) without its journal: the on-disk and
// in-memory database, registry jobs, mirrors, files and violations. Two runs that leave
// the same end state compare equal; what ran, and when, does not count.
nlohmann::json end_state(const lab::testing::LabFixture& lab);

// What changed on the nodes of `cluster` since `before` (an end_state): every node whose
// state differs, and every change command its journal shows. Empty: untouched.
std::vector<std::string> changes_since(const lab::testing::LabFixture& lab,
                                       const nlohmann::json& before, const std::string& cluster);

// The summary's entry of cluster `name` ("status" etc.), or null when absent.
nlohmann::json cluster_summary(const nlohmann::json& summary, const std::string& name);

// The lines of RUN_DIR/events.jsonl, each parsed (a line that is not JSON throws, naming it).
std::vector<nlohmann::json> read_events(const std::string& run_dir);

// The whole of a file ("" when missing).
std::string read_text(const std::string& path);

// ASCII text as UTF-16LE bytes (what reg export writes), to look for it in such a file.
std::string utf16le(const std::string& ascii);

// Starts build/lkrecover with `args` in the background, stdout and stderr to `out_path`,
// stdin from /dev/null; returns its pid (wait for it with wait_exit). The WinRM password
// as for lkrecover().
int spawn_lkrecover(const std::vector<std::string>& args, const std::string& out_path);

// Waits for `pid`; its waitpid status.
int wait_exit(int pid);

}  // namespace lkr::e2e
