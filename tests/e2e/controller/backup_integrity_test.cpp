// The job's registry backup leaves the node byte for byte, or the run stops before any
// change (tasks/assumed_formats.h, "the job backup's way off the node"). The lab's node
// is attacked two ways: the backup file is altered between certutil's hash and its base64
// (fault "tamper"), and the base64 text is altered on its way to the controller (fault
// "corrupt"). Expected bytes and digests come from the lab itself: its own `reg export`
// of the job before the run, hashed by the lab's SHA-256, not the product's.
// SSH only (subnet 127.199): what is attacked is a file on the node and a command's
// output, not the transport; the recovery tests' WinRM and PowerShell instances send the
// same commands.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "tests/e2e/controller/product_run.h"
#include "tests/lab/node/node_ops.h"
#include "tests/lab/node/sha256.h"

using lkr::e2e::Lab;
using lkr::e2e::TempDir;
using nlohmann::json;
namespace e2e = lkr::e2e;

namespace {

const std::string kScenario = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kNode = "BENHOGAN2008";
const std::string kJob = "e829700c-27b0-447f-b852-1a3135da31a7";  // seed.json's Vol.E job
const std::string kBackup = "lkrecover-" + kJob + ".reg";

const lab::LabNode& node_of(const Lab& lab) { return lab::resolve_node(lab.record(), kNode); }

// The job as the node's reg.exe exports it now: what a byte-exact copy must equal.
std::string reference_export(const Lab& lab) {
  const std::string key =
      "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\" + kJob;
  auto r = lab.console(kNode, "C:\\Windows\\System32\\reg.exe export " + key +
                                  " C:\\Windows\\Temp\\reference.reg /y");
  REQUIRE(r.rc == 0);
  std::string file = node_of(lab).node_dir + "/C/Windows/Temp/reference.reg";
  std::string bytes = e2e::read_text(file);
  std::filesystem::remove(file);
  REQUIRE(bytes.size() > 2);
  REQUIRE(bytes.substr(0, 2) == "\xFF\xFE");  // UTF-16LE: what `type` would re-encode
  return bytes;
}

void arm(const Lab& lab, const std::string& command, const std::string& match,
         const std::string& kind) {
  lab::Fault f;
  f.command = command;
  f.match = match;
  f.kind = kind;
  f.times = 1;
  lab::arm_fault(node_of(lab).node_dir, f);
}

// What the cluster's state is, apart from the journal and files: the databases, the
// registry's jobs and the mirrors.
json cluster_state(const Lab& lab) {
  json d = lab.dump(kNode);
  return {d["on_disk"], d["in_memory"], d["registry_jobs"], d["mirrors"]};
}

// The node's change commands in its journal (e2e::is_change_command).
std::set<std::string> changes_run(const Lab& lab) {
  std::set<std::string> out;
  for (const auto& c : e2e::journal_commands(lab.dump(kNode)))
    if (e2e::is_change_command(c)) out.insert(c);
  return out;
}

bool on_node(const Lab& lab, const std::string& suffix) {
  return lab.dump(kNode)["files"].dump().find(suffix + "\"") != std::string::npos;
}

int intents(const std::string& run_dir) {
  int n = 0;
  for (const auto& e : e2e::read_events(run_dir)) n += e["type"] == "intent" ? 1 : 0;
  return n;
}

// The run stopped in the snapshot step on kNode before any change, and says why.
std::string stopped_before_any_change(const Lab& lab, const e2e::RunOutcome& run,
                                      const json& state_before) {
  INFO(run.process.out << run.process.err);
  CHECK(run.process.rc == 2);
  json cluster = e2e::cluster_summary(run.summary, "sql-prod");
  REQUIRE(cluster.is_object());
  CHECK(cluster["status"] == "failed");
  CHECK(cluster["failed_step"] == "snapshot");
  CHECK(cluster["failed_host"] == kNode);
  CHECK(run.process.err.find("stopped at step 'snapshot' on " + kNode) != std::string::npos);
  CHECK(intents(run.summary["run_dir"].get<std::string>()) == 0);  // no change was announced
  CHECK(cluster_state(lab) == state_before);
  // Only the backup's own files were written: nothing of the runbook ran.
  CHECK(changes_run(lab) == std::set<std::string>{"reg export", "certutil -encode"});
  return cluster.value("reason", "");
}

}  // namespace

TEST_CASE("a backup altered between its hash and its copy stops the run; a re-run copies it",
          "[e2e]") {
  Lab lab(kScenario);
  TempDir logs;
  const std::string exported = reference_export(lab);
  std::string tampered = exported;
  tampered[tampered.size() / 2] ^= 0x01;  // what the lab's "tamper" fault does
  json state_before = cluster_state(lab);
  arm(lab, "certutil", "-encode", "tamper");

  auto first = e2e::run_all(lab, logs.path);
  std::string reason = stopped_before_any_change(lab, first, state_before);
  INFO(reason);
  // The command that read the copy, the digest the node printed, the one that arrived.
  CHECK(reason.find("type") != std::string::npos);
  CHECK(reason.find(kBackup + ".b64") != std::string::npos);
  CHECK(reason.find("certutil -hashfile printed " + lab::sha256_hex(exported)) !=
        std::string::npos);
  CHECK(reason.find("SHA-256 " + lab::sha256_hex(tampered)) != std::string::npos);
  CHECK(reason.find("nothing was saved") != std::string::npos);
  std::string first_run = first.summary["run_dir"].get<std::string>();
  CHECK_FALSE(std::filesystem::exists(first_run + "/snapshots/sql-prod/" + kNode +
                                      "/datakeeper/job-" + kJob + ".reg"));
  // The altered backup and its base64 are left on the node for the next run to find.
  REQUIRE(on_node(lab, kBackup));
  REQUIRE(on_node(lab, kBackup + ".b64"));

  // The re-run finds them and trusts neither: it exports, hashes and encodes afresh.
  auto again = e2e::run_all(lab, logs.path);
  INFO(again.process.out << again.process.err);
  REQUIRE(again.process.rc == 0);
  CHECK(e2e::cluster_summary(again.summary, "sql-prod")["status"] == "changed");
  std::string run_dir = again.summary["run_dir"].get<std::string>();
  std::string saved =
      e2e::read_text(run_dir + "/snapshots/sql-prod/" + kNode + "/datakeeper/job-" + kJob + ".reg");
  CHECK(saved == exported);  // byte for byte, BOM and UTF-16LE included
  CHECK_FALSE(on_node(lab, kBackup));
  CHECK_FALSE(on_node(lab, kBackup + ".b64"));
  // The digest is in the trail twice: beside the command that read the copy, and as the
  // saved snapshot's own; certutil's line (the lab prints pairs, as older Windows does)
  // is in the hashfile command's output.
  const std::string digest = lab::sha256_hex(exported);
  std::string spaced;
  for (std::size_t i = 0; i < digest.size(); i += 2) spaced += (i ? " " : "") + digest.substr(i, 2);
  bool beside_type = false, as_snapshot = false, from_certutil = false;
  for (const auto& e : e2e::read_events(run_dir)) {
    std::string message = e.value("message", ""), command = e.value("command", "");
    if (command.find(kBackup + ".b64") != std::string::npos && command.rfind("type", 0) == 0)
      beside_type = message.find("SHA-256 " + digest) != std::string::npos;
    if (message.find("datakeeper/job-" + kJob + ".reg written") != std::string::npos)
      as_snapshot = e.value("sha256", "") == digest;
    if (command.find("certutil.exe -hashfile") != std::string::npos)
      from_certutil = e.value("stdout", "").find(spaced) != std::string::npos;
  }
  CHECK(beside_type);
  CHECK(as_snapshot);
  CHECK(from_certutil);
}

TEST_CASE("base64 altered on its way to the controller stops the run before any change", "[e2e]") {
  Lab lab(kScenario);
  TempDir logs;
  const std::string exported = reference_export(lab);
  json state_before = cluster_state(lab);
  arm(lab, "type", ".b64", "corrupt");

  auto run = e2e::run_all(lab, logs.path);
  std::string reason = stopped_before_any_change(lab, run, state_before);
  INFO(reason);
  CHECK(reason.find(kBackup + ".b64") != std::string::npos);
  CHECK(reason.find("differs from the file on the node") != std::string::npos);
  CHECK(reason.find("certutil -hashfile printed " + lab::sha256_hex(exported)) !=
        std::string::npos);
  // The node's backup itself is intact: the damage was on the way.
  auto backup = lab::host_path(
      node_of(lab).node_dir,
      "C:\\Windows\\System32\\config\\systemprofile\\AppData\\Local\\Temp\\" + kBackup);
  REQUIRE(backup.has_value());
  CHECK(e2e::read_text(*backup) == exported);
}
