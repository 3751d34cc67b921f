// The whole runbook end to end on nodes whose default shell is PowerShell: the product renders
// every command for PowerShell from the inventory's ansible_shell_type (written by `lab up` from
// the scenario's default_shell), and the lab's PowerShell refuses anything else, so a run that
// succeeds sent nothing else. End states are read back with `lab dump` and compared with the same
// scenario on cmd nodes, whose end state the seed and three-node tests check against RUNBOOK.md.
//
// SSH only (no WinRM instance in controller.cmake): a default shell is OpenSSH's setting
// (DefaultShell); WinRS always hands a command to cmd.exe, so over WinRM these nodes are
// cmd nodes, which every other WinRM instance covers. A WinRM host whose inventory says
// ansible_shell_type: powershell gets `powershell.exe -EncodedCommand ...` lines, which
// cmd.exe on Windows starts as a program; the lab's cmd emulator does not emulate
// powershell.exe as a program, so that combination is not tested end to end.
#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/e2e/controller/product_run.h"

using lkr::e2e::Lab;
using lkr::e2e::TempDir;
using nlohmann::json;
namespace e2e = lkr::e2e;

namespace {

const std::string kScenarios = LAB_SCENARIO_DIR;

bool ran(const json& dump, const std::string& command) {
  auto c = e2e::journal_commands(dump);
  return std::find(c.begin(), c.end(), command) != c.end();
}

bool mentions(const json& list, const std::string& text) {
  return list.dump().find(text) != std::string::npos;
}

// Runs the product on `scenario` and returns every node's end state.
json recovered_end_state(const std::string& scenario, const std::string& logs) {
  Lab lab(kScenarios + "/" + scenario);
  auto run = e2e::run_all(lab, logs);
  INFO(scenario << "\n" << run.process.out << run.process.err);
  REQUIRE(run.process.rc == 0);
  return e2e::end_state(lab);
}

}  // namespace

TEST_CASE("seed cluster on PowerShell nodes: the runbook's recovery, end state on disk", "[e2e]") {
  TempDir logs;
  json on_cmd = recovered_end_state("seed.json", logs.path + "/cmd");

  Lab lab(kScenarios + "/powershell.json");
  json before_gplayer = lab.dump("GPLAYER2008");
  auto first = e2e::run_all(lab, logs.path + "/ps");
  INFO(first.process.out << first.process.err);
  REQUIRE(first.process.rc == 0);
  CHECK(first.summary["clusters"][0]["status"] == "changed");

  json d = lab.dump("BENHOGAN2008");
  const json& disk = d["on_disk"];
  CHECK(disk["equivalencies"].empty());
  CHECK(disk["systems"] == json::array({"BENHOGAN2008"}));
  CHECK(disk["comm_paths"].empty());
  CHECK(mentions(disk["resources"], "Vol.E"));
  CHECK(d["in_memory"] == disk);
  CHECK_FALSE(mentions(d["registry_jobs"], "e829700c-27b0-447f-b852-1a3135da31a7"));
  CHECK(d["mirrors"].empty());
  CHECK_FALSE(mentions(d["files"], "LKDRInfo.E"));
  CHECK(d["violations"].empty());
  // The PowerShell forms ran (cmd's built-ins do not exist on this node's shell).
  CHECK(ran(d, "test-path"));
  CHECK(ran(d, "remove-item"));
  CHECK(ran(d, "readallbytes"));
  CHECK_FALSE(ran(d, "del"));
  // The same end state as the runbook's recovery on cmd nodes.
  CHECK(e2e::end_state(lab) == on_cmd);
  // The reinstalled node was only looked at.
  json after_gplayer = lab.dump("GPLAYER2008");
  for (const auto& c : e2e::journal_commands(after_gplayer)) {
    INFO(c);
    CHECK_FALSE(e2e::is_change_command(c));
  }
  CHECK(after_gplayer["on_disk"] == before_gplayer["on_disk"]);

  // A second run reads everything again through PowerShell and changes nothing.
  auto second = e2e::run_all(lab, logs.path + "/ps");
  INFO(second.process.out << second.process.err);
  REQUIRE(second.process.rc == 0);
  CHECK(second.summary["clusters"][0]["status"] == "nothing_to_do");
}

TEST_CASE("a cluster mixing cmd and PowerShell nodes recovers as an all-cmd one", "[e2e]") {
  TempDir logs;
  json on_cmd = recovered_end_state("three-node.json", logs.path + "/cmd");

  Lab lab(kScenarios + "/three-node-mixed-shells.json");
  auto run = e2e::run_all(lab, logs.path + "/mixed");
  INFO(run.process.out << run.process.err);
  REQUIRE(run.process.rc == 0);
  CHECK(run.summary["clusters"][0]["status"] == "changed");
  CHECK(e2e::end_state(lab) == on_cmd);
  // Each node was spoken to in its own shell: PowerShell forms on ALPHA, cmd's on BRAVO.
  json alpha = lab.dump("ALPHA");
  json bravo = lab.dump("BRAVO");
  CHECK(ran(alpha, "test-path"));
  CHECK_FALSE(ran(alpha, "del"));
  CHECK_FALSE(ran(bravo, "test-path"));
  CHECK_FALSE(ran(bravo, "remove-item"));
  CHECK(ran(lab.dump("CHARLIE"), "hostname"));
}
