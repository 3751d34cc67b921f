// `lkrecover exec`, Ansible's ad hoc command, end to end: one program on the hosts that
// --limit chooses, over the instance's transport (SSH, or WinRM in the second instance),
// each argument reaching the program as given (the lab journal records its argv), with
// Ansible's exit codes and an audit folder that verifies.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

#include "tests/e2e/controller/product_run.h"

using lkr::e2e::Lab;
using lkr::e2e::TempDir;
using nlohmann::json;
namespace e2e = lkr::e2e;

namespace {

const std::string kScenarios = LAB_SCENARIO_DIR;
const std::string kHostname = "C:\\Windows\\System32\\hostname.exe";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The argv of every hostname.exe the node's journal shows, in order.
std::vector<std::vector<std::string>> hostname_runs(const json& dump) {
  std::vector<std::vector<std::string>> runs;
  for (const auto& entry : dump.at("journal")) {
    const auto& argv = entry.at("argv");
    if (argv.empty()) continue;
    std::string program = argv[0].get<std::string>();
    std::transform(program.begin(), program.end(), program.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!program.ends_with("hostname.exe") && !program.ends_with("hostname")) continue;
    runs.push_back(argv.get<std::vector<std::string>>());
  }
  return runs;
}

std::vector<std::string> exec_args(const std::string& inventory, const std::string& log_dir,
                                   std::vector<std::string> program) {
  std::vector<std::string> args{"exec",  "-i",        inventory, "--limit", "ALPHA,BRAVO",
                                "--yes", "--log-dir", log_dir,   "--"};
  args.insert(args.end(), program.begin(), program.end());
  return args;
}

// The lab's inventory with `host`'s port pointing where nothing listens.
std::string unreachable_inventory(const Lab& lab, const std::string& dir, const std::string& host) {
  YAML::Node inv = YAML::LoadFile(lab.inventory_path());
  bool found = false;
  for (auto group : inv["all"]["children"]) {
    if (!group.second["hosts"] || !group.second["hosts"][host]) continue;
    group.second["hosts"][host]["ansible_port"] = 1;
    found = true;
  }
  REQUIRE(found);
  std::string path = dir + "/unreachable.yml";
  std::ofstream(path) << YAML::Dump(inv);
  return path;
}

}  // namespace

TEST_CASE("exec: hostname.exe on two hosts prints each host's name, audited", "[e2e]") {
  Lab lab(kScenarios + "/three-node.json");
  TempDir logs;
  auto r = e2e::lkrecover(exec_args(lab.inventory_path(), logs.path, {kHostname}));
  INFO(r.out << r.err);
  CHECK(r.rc == 0);
  for (const std::string host : {"ALPHA", "BRAVO"}) {
    CHECK(contains(r.out, host + " | CHANGED | rc=0 >>\n" + host + "\n"));
    CHECK(hostname_runs(lab.dump(host)) == std::vector<std::vector<std::string>>{{kHostname}});
  }
  // --limit kept CHARLIE out: nothing ran there.
  CHECK_FALSE(contains(r.out, "CHARLIE"));
  CHECK(hostname_runs(lab.dump("CHARLIE")).empty());

  std::string run_dir = e2e::newest_run_dir(logs.path);
  REQUIRE_FALSE(run_dir.empty());
  CHECK(e2e::lkrecover({"audit", "verify", run_dir}).rc == 0);
  auto rj = e2e::validate_json("run.schema.json", run_dir + "/run.json");
  INFO(rj.out << rj.err);
  CHECK(rj.rc == 0);
  CHECK(json::parse(e2e::read_text(run_dir + "/run.json"))["mode"] == "exec");
  // Each host's program is announced (intent) before it is sent, and recorded with its
  // exit code and output.
  int intents = 0, commands = 0;
  for (const auto& e : e2e::read_events(run_dir)) {
    if (e.value("step", "") != "exec") continue;
    intents += e["type"] == "intent" ? 1 : 0;
    if (e["type"] != "command") continue;
    ++commands;
    CHECK(e["exit_code"] == 0);
    CHECK(e["stdout"].get<std::string>().starts_with(e["host"].get<std::string>()));
  }
  CHECK(intents == 2);
  CHECK(commands == 2);
}

TEST_CASE("exec: arguments with cmd metacharacters arrive as given; a failure exits 2", "[e2e]") {
  Lab lab(kScenarios + "/three-node.json");
  TempDir logs;
  // hostname.exe takes no argument: it prints its usage and exits 1, after the lab's
  // journal recorded the argv it was given.
  const std::vector<std::string> args{"a&b", "x|y>z", "%PATH%", "^!", "say \"hi\"", "(c)"};
  std::vector<std::string> program{kHostname};
  program.insert(program.end(), args.begin(), args.end());
  auto r = e2e::lkrecover(exec_args(lab.inventory_path(), logs.path, program));
  INFO(r.out << r.err);
  CHECK(r.rc == 2);
  for (const std::string host : {"ALPHA", "BRAVO"}) {
    CHECK(contains(r.out, host + " | FAILED | rc=1 >>\n"));
    auto runs = hostname_runs(lab.dump(host));
    REQUIRE(runs.size() == 1);
    CHECK(std::vector<std::string>(runs[0].begin() + 1, runs[0].end()) == args);
  }
  std::string run_dir = e2e::newest_run_dir(logs.path);
  CHECK(e2e::lkrecover({"audit", "verify", run_dir}).rc == 0);
}

TEST_CASE("exec: an unreachable host exits 4, the others still run", "[e2e]") {
  Lab lab(kScenarios + "/three-node.json");
  TempDir logs;
  std::string inventory = unreachable_inventory(lab, logs.path, "BRAVO");
  auto r = e2e::lkrecover(exec_args(inventory, logs.path, {kHostname}));
  INFO(r.out << r.err);
  CHECK(r.rc == 4);
  CHECK(contains(r.out, "BRAVO | UNREACHABLE! => "));
  CHECK(contains(r.out, "ALPHA | CHANGED | rc=0 >>\nALPHA\n"));
  CHECK(hostname_runs(lab.dump("BRAVO")).empty());
  std::string run_dir = e2e::newest_run_dir(logs.path);
  CHECK(e2e::lkrecover({"audit", "verify", run_dir}).rc == 0);
}

TEST_CASE("exec: without --yes and with no one to answer, nothing runs", "[e2e]") {
  Lab lab(kScenarios + "/three-node.json");
  TempDir logs;
  auto args = exec_args(lab.inventory_path(), logs.path, {kHostname});
  args.erase(std::find(args.begin(), args.end(), std::string("--yes")));
  auto r = e2e::lkrecover(args);
  INFO(r.out << r.err);
  CHECK(r.rc == 1);
  CHECK(contains(r.err, "not confirmed"));
  CHECK(hostname_runs(lab.dump("ALPHA")).empty());
  CHECK(hostname_runs(lab.dump("BRAVO")).empty());
}
