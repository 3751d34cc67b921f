// Helpers for the product's end-to-end tests: run the real build/lkrecover binary
// against a running lab, and read what the lab's journal says was done.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/lab/driver/process_runner.h"
#include "tests/lab/driver/tests/lab_fixture.h"

namespace lkr::e2e {

// Runs build/lkrecover with `args` (no shell), stdin empty (so: no TTY).
lab::ProcessResult lkrecover(const std::vector<std::string>& args, int timeout_ms = 300000);

// `lkrecover run -i INV --all --yes --json --log-dir LOG` and the parsed --json summary.
struct RunOutcome {
  lab::ProcessResult process;
  nlohmann::json summary;  // null when stdout was not JSON
};
RunOutcome run_all(const lab::testing::LabFixture& lab, const std::string& log_dir,
                   std::vector<std::string> extra = {});

// argv[0] base names (lower case, no .exe; "emcmd deletejob" style for emcmd and reg)
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

// The lines of RUN_DIR/events.jsonl, each parsed (a line that is not JSON throws, naming it).
std::vector<nlohmann::json> read_events(const std::string& run_dir);

// The whole of a file ("" when missing).
std::string read_text(const std::string& path);

// Starts build/lkrecover with `args` in the background, stdout and stderr to `out_path`,
// stdin from /dev/null; returns its pid (wait for it with wait_exit).
int spawn_lkrecover(const std::vector<std::string>& args, const std::string& out_path);

// Waits for `pid`; its waitpid status.
int wait_exit(int pid);

}  // namespace lkr::e2e
