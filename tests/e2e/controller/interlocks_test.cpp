// Safety interlocks end to end, each in a multi-cluster run over the real
// lab: a refused cluster is left exactly as it was while the others are recovered.
//   - the replaced node named is healthy; a survivor's address leads to the replaced node
//   - a DataKeeper job that also mirrors to another survivor, unless --allow-multitarget-jobs
//   - survivors that disagree (one cleaned by hand, one partly, one not): each finished
//     from where it is, and the record says which were clean already
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

#include "tests/e2e/controller/product_run.h"

using lab::testing::LabFixture;
using lkr::e2e::Lab;
using lkr::e2e::TempDir;
using nlohmann::json;
namespace e2e = lkr::e2e;

namespace {

const std::string kScenario = std::string(LAB_SCENARIO_DIR) + "/fault-matrix.json";

const json* cluster_of(const json& clusters, const std::string& name) {
  for (const auto& c : clusters)
    if (c["name"] == name) return &c;
  return nullptr;
}

std::string status_of(const json& summary, const std::string& name) {
  const json* c = cluster_of(summary["clusters"], name);
  return c ? (*c)["status"].get<std::string>() : "(missing)";
}

int count_of(const std::vector<std::string>& commands, const std::string& name) {
  return static_cast<int>(std::count(commands.begin(), commands.end(), name));
}

// Nodes of `cluster` as they were (journal aside), and no change command was sent to them.
void unchanged(const LabFixture& lab, const json& before, const std::string& cluster) {
  for (const auto& n : lab.record().nodes) {
    if (n.cluster != cluster) continue;
    std::string name = n.cluster + "/" + n.system;
    INFO(name);
    json d = lab.dump(name);
    for (const auto& c : e2e::journal_commands(d)) {
      INFO(c);
      CHECK_FALSE(e2e::is_change_command(c));
    }
    d.erase("journal");
    CHECK(d == before[name]);
  }
}

std::string write_inventory(const YAML::Node& inv, const std::string& path) {
  std::ofstream(path) << YAML::Dump(inv);
  return path;
}

}  // namespace

TEST_CASE("a healthy replaced node, or a survivor that is the replaced node, is refused alone",
          "[e2e]") {
  Lab lab(kScenario);
  TempDir logs;
  json before = e2e::end_state(lab);
  YAML::Node inv = YAML::LoadFile(lab.inventory_path());
  auto groups = inv["all"]["children"];
  // fm-a: a typo names the healthy survivor A2 as the reinstalled node.
  groups["fm-a"]["vars"]["lk_replaced"] = "A2";
  // fm-b: B1's entry leads to the reinstalled B2 (its address and port).
  auto b_hosts = groups["fm-b"]["hosts"];
  b_hosts["B1"]["ansible_host"] = b_hosts["B2"]["ansible_host"].as<std::string>();
  b_hosts["B1"]["ansible_port"] = b_hosts["B2"]["ansible_port"].as<int>();
  std::string path = write_inventory(inv, logs.path + "/edited.yml");

  auto r = e2e::lkrecover({"run", "-i", path, "--all", "--yes", "--json", "--log-dir", logs.path});
  INFO(r.out << r.err);
  CHECK(r.rc == 2);
  json summary = json::parse(r.out);
  const json* a = cluster_of(summary["clusters"], "fm-a");
  const json* b = cluster_of(summary["clusters"], "fm-b");
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK((*a)["status"] == "refused");
  CHECK((*a)["failed_step"] == "preflight");
  CHECK((*a)["reason"].get<std::string>().find("A2") != std::string::npos);
  CHECK((*b)["status"] == "refused");
  CHECK((*b)["failed_step"] == "preflight");
  CHECK((*b)["failed_host"] == "B1");
  CHECK((*b)["reason"].get<std::string>().find("B2") != std::string::npos);
  CHECK(status_of(summary, "fm-c") == "changed");
  unchanged(lab, before, "fm-a");
  unchanged(lab, before, "fm-b");
}

namespace {

// fm-a-like cluster whose volume M is mirrored from X1 to both X2 and X3 (a multi-target
// job: deleting it on X1 also stops X1 -> X2), and a plain cluster beside it.
const char* kMultiTarget = R"({
  "clusters": [
    {"name": "mt", "replaced": "X3",
     "nodes": [{"system": "X1", "address": "127.32.1.1"}, {"system": "X2", "address": "127.32.1.2"},
               {"system": "X3", "address": "127.32.1.3", "reinstalled": true}],
     "comm_paths": [
       {"system": "X1", "othersystem": "X2", "localaddr": "10.32.1.1", "remoteaddr": "10.32.1.2"},
       {"system": "X1", "othersystem": "X3", "localaddr": "10.32.1.1", "remoteaddr": "10.32.1.3"},
       {"system": "X2", "othersystem": "X3", "localaddr": "10.32.1.2", "remoteaddr": "10.32.1.3"}],
     "hierarchies": [
       {"in_service_on": "X1", "extended_to": ["X2", "X3"],
        "resources": [{"tag": "Vol.M", "app": "filesys", "type": "volume", "id": "M",
                       "mirror": {"job_id": "3a3a3a3a-0000-4000-8000-00000000000c",
                                  "job_name": "M Vol", "mode": "A"}}]}]},
    {"name": "plain", "replaced": "Y2",
     "nodes": [{"system": "Y1", "address": "127.32.2.1"},
               {"system": "Y2", "address": "127.32.2.2", "reinstalled": true}],
     "comm_paths": [
       {"system": "Y1", "othersystem": "Y2", "localaddr": "10.32.2.1", "remoteaddr": "10.32.2.2"}],
     "hierarchies": [
       {"in_service_on": "Y1", "extended_to": ["Y2"],
        "resources": [{"tag": "IP-Y", "app": "comm", "type": "ip", "id": "10.32.2.100"}]}]}
  ]
})";

}  // namespace

TEST_CASE("a multi-target DataKeeper job is refused with what would break, unless allowed",
          "[e2e]") {
  TempDir dir;
  std::string scenario = dir.path + "/multitarget.json";
  std::ofstream(scenario) << kMultiTarget;
  Lab lab(scenario);
  TempDir logs;
  json before = e2e::end_state(lab);

  auto refused = e2e::run_all(lab, logs.path);
  INFO(refused.process.out << refused.process.err);
  CHECK(refused.process.rc == 2);
  REQUIRE(refused.summary.is_object());
  const json* mt = cluster_of(refused.summary["clusters"], "mt");
  REQUIRE(mt != nullptr);
  CHECK((*mt)["status"] == "refused");
  CHECK((*mt)["failed_step"] == "plan");
  CHECK((*mt)["failed_host"] == "X1");
  std::string reason = (*mt)["reason"].get<std::string>();
  INFO(reason);
  // What is at stake and how to go on anyway.
  CHECK(reason.find("volume M mirrors to X3 and also to X2") != std::string::npos);
  CHECK(reason.find("deletelocalmirroronly takes no target") != std::string::npos);
  CHECK(reason.find("stop the mirrors to those nodes as well") != std::string::npos);
  CHECK(reason.find("--allow-multitarget-jobs") != std::string::npos);
  CHECK(status_of(refused.summary, "plain") == "changed");
  // Refused before any change: not even the job's registry backup was written.
  unchanged(lab, before, "mt");

  auto allowed = e2e::run_all(lab, logs.path, {"--allow-multitarget-jobs"});
  INFO(allowed.process.out << allowed.process.err);
  CHECK(allowed.process.rc == 0);
  CHECK(status_of(allowed.summary, "mt") == "changed");
  CHECK(status_of(allowed.summary, "plain") == "nothing_to_do");
  for (const std::string node : {"mt/X1", "mt/X2"}) {
    INFO(node);
    json d = lab.dump(node);
    CHECK(d["on_disk"]["systems"].dump().find("X3") == std::string::npos);
    CHECK(d["registry_jobs"].dump().find("X3") == std::string::npos);
    CHECK(d["in_memory"] == d["on_disk"]);
    CHECK(d["violations"].empty());
  }
  // The job was backed up into the audit folder before it was deleted, and no copy of
  // the backup stays on the node.
  const std::string job = "3a3a3a3a-0000-4000-8000-00000000000c";
  std::string backup = e2e::read_text(e2e::newest_run_dir(logs.path) +
                                      "/snapshots/mt/X1/datakeeper/job-" + job + ".reg");
  CHECK(backup.find(e2e::utf16le(job)) != std::string::npos);  // reg export's UTF-16LE
  json x1 = lab.dump("mt/X1");
  CHECK(x1["files"].dump().find("lkrecover-" + job + ".reg") == std::string::npos);
  std::vector<std::string> journal = e2e::journal_commands(x1);
  CHECK(std::find(journal.begin(), journal.end(), "reg export") != journal.end());
}

TEST_CASE("survivors that disagree are each finished from where they are, and reported", "[e2e]") {
  // What a clean run leaves, from the same scenario.
  json reference;
  {
    Lab lab(kScenario);
    TempDir logs;
    auto r = e2e::run_all(lab, logs.path);
    INFO(r.process.out << r.process.err);
    REQUIRE(r.process.rc == 0);
    reference = e2e::end_state(lab);
  }
  Lab lab(kScenario);
  TempDir logs;
  // A1 cleaned by hand, the runbook's commands typed at its prompt (no registry backup);
  // C1 partly: only its equivalency with C3 removed. A2 and C2 untouched.
  const std::string job_key =
      "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\"
      "a1a1a1a1-0000-4000-8000-00000000000e";
  const std::string emcmd = "\"C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe\" . ";
  const std::vector<std::string> by_hand_a1{
      "C:\\LK\\Bin\\eqv_remove.exe -s A1 -t IP-A1 -S A3 -o IP-A1 -e SHARED",
      "C:\\LK\\Bin\\eqv_remove.exe -s A1 -t Vol.E -S A3 -o Vol.E -e SHARED",
      "del C:\\LK\\subsys\\filesys\\resources\\volume\\LKDRInfo.E",
      "reg delete " + job_key + " /f",
      emcmd + "deletelocalmirroronly E",
      emcmd + "clearswitchover E",
      "C:\\LK\\Bin\\sys_remove.exe -d A1 -s A3",
      "C:\\LK\\Bin\\net_remove.exe -d A1 -s A3 -D TCPIP:1500 -r 10.31.1.3 -l 10.31.1.1",
      "C:\\LK\\Bin\\lcdsync.exe -d A1"};
  // Typed at the node's console: no transport involved (over WinRM the node's sshd is off).
  for (const auto& line : by_hand_a1) {
    auto r = lab.console("fm-a/A1", line);
    INFO(line << "\n" << r.out << r.err);
    REQUIRE(r.rc == 0);
  }
  auto partial =
      lab.console("fm-c/C1", "C:\\LK\\Bin\\eqv_remove.exe -s C1 -t IP-C -S C3 -o IP-C -e SHARED");
  INFO(partial.out << partial.err);
  REQUIRE(partial.rc == 0);

  auto r = e2e::run_all(lab, logs.path);
  INFO(r.process.out << r.process.err);
  CHECK(r.process.rc == 0);
  REQUIRE(r.summary.is_object());
  for (const auto& c : r.summary["clusters"]) CHECK(c["status"] == "changed");
  const json& a_hosts = (*cluster_of(r.summary["clusters"], "fm-a"))["hosts"];
  CHECK(a_hosts["A1"]["changed"] == 0);  // nothing was left to do on A1
  CHECK(a_hosts["A2"]["changed"].get<int>() > 0);

  // run.json and the events say which survivor was clean already.
  std::string run_dir = r.summary["run_dir"].get<std::string>();
  json run = json::parse(e2e::read_text(run_dir + "/run.json"));
  const json& recorded = (*cluster_of(run["clusters"], "fm-a"))["hosts"];
  CHECK(recorded["A1"]["status"] == "ok");
  CHECK(recorded["A2"]["status"] == "changed");
  std::vector<std::string> clean_already;
  for (const auto& e : e2e::read_events(run_dir))
    if (e["type"] == "note" && e["message"].get<std::string>().starts_with("already clean"))
      clean_already.push_back(e["cluster"].get<std::string>() + "/" + e["host"].get<std::string>());
  CHECK(clean_already == std::vector<std::string>{"fm-a/A1"});

  // From where they were: A1 got no change but the commit, C1 not its removed equivalency again.
  auto a1 = e2e::journal_commands(lab.dump("fm-a/A1"));
  auto a1_run =
      std::vector<std::string>(a1.begin() + static_cast<long>(by_hand_a1.size()), a1.end());
  for (const auto& c : a1_run)
    if (c != "lcdsync") CHECK_FALSE(e2e::is_change_command(c));
  auto c1 = e2e::journal_commands(lab.dump("fm-c/C1"));
  CHECK(count_of(c1, "eqv_remove") == 1);  // the hand-typed one only
  CHECK(count_of(c1, "sys_remove") == 1);

  // The end state of a clean run; A1 only lacks the registry backup nobody made by hand.
  json end = e2e::end_state(lab);
  json expected = reference;
  json& files = expected["fm-a/A1"]["files"];
  files.erase(std::remove_if(files.begin(), files.end(),
                             [](const json& f) {
                               return f.get<std::string>().find("lkrecover-a1a1a1a1") !=
                                      std::string::npos;
                             }),
              files.end());
  CHECK(end == expected);
}
