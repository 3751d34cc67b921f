// The product against the lab's public-record formats (docs/record-formats.md): the
// commands it sends are the record's, every variant the record leaves open is read or
// refused before any change, a healthy "replaced" node and names a code page damaged are
// refused with nothing changed, three-node DataKeeper jobs are handled as README.md
// ("Three-node DataKeeper clusters") decides, and `lkrecover facts` names an odd line.
// Runs over SSH and over WinRM (controller.cmake), with the same assertions.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/e2e/controller/product_run.h"

using lkr::e2e::Lab;
using lkr::e2e::TempDir;
using nlohmann::json;
namespace e2e = lkr::e2e;

namespace {

const std::string kScenarios = LAB_SCENARIO_DIR;

// The argv of every journal entry of `node` whose program's base name is `name`.
std::vector<std::vector<std::string>> argv_of(const json& dump, const std::string& name) {
  std::vector<std::vector<std::string>> out;
  for (const auto& entry : dump.at("journal")) {
    std::vector<std::string> argv = entry.at("argv").get<std::vector<std::string>>();
    if (argv.empty()) continue;
    std::string base = argv[0].substr(argv[0].find_last_of("\\/") + 1);
    if (base == name + ".exe" || base == name) out.push_back(argv);
  }
  return out;
}

std::string reason_of(const json& summary, const std::string& cluster) {
  json c = e2e::cluster_summary(summary, cluster);
  return c.is_object() && c["reason"].is_string() ? c["reason"].get<std::string>() : "";
}

std::string status_of(const json& summary, const std::string& cluster) {
  json c = e2e::cluster_summary(summary, cluster);
  return c.is_null() ? "(missing)" : c.value("status", "");
}

}  // namespace

TEST_CASE("the seed's commands are the record's: net_remove -d -s -D -r -l, -d everywhere",
          "[e2e][formats]") {
  Lab lab(kScenarios + "/seed.json");
  TempDir logs;
  auto run = e2e::run_all(lab, logs.path);
  INFO(run.process.out << run.process.err);
  REQUIRE(run.process.rc == 0);
  json d = lab.dump("BENHOGAN2008");
  // E3/E4: -d the local system, -s the OTHER system, -D the device; no -S.
  auto net = argv_of(d, "net_remove");
  REQUIRE(net.size() == 1);
  CHECK(std::vector<std::string>(net[0].begin() + 1, net[0].end()) ==
        std::vector<std::string>{"-d", "BENHOGAN2008", "-s", "GPLAYER2008", "-D", "TCPIP:1500",
                                 "-r", "10.200.8.26", "-l", "10.200.8.25"});
  for (const char* lcd : {"eqv_remove", "sys_remove", "lcdsync"})
    for (const auto& argv : argv_of(d, lcd)) {
      INFO(lcd);
      REQUIRE(argv.size() >= 3);
      CHECK(argv[1] == "-d");
      CHECK(argv[2] == "BENHOGAN2008");
    }
  // The install folders came from the node (set LK, set ExtMirrBase).
  CHECK(argv_of(d, "set").size() >= 2);
  CHECK(d["on_disk"]["comm_paths"].empty());
  CHECK(d["violations"].empty());
}

TEST_CASE("every lab variant: read where the record allows, refused before any change where not",
          "[e2e][formats]") {
  Lab lab(kScenarios + "/variants.json");
  TempDir logs;
  json before = e2e::end_state(lab);
  // var-a mirrors Vol.M from VA1 to VA2 and VA3: only with the override (README).
  auto run = e2e::run_all(lab, logs.path, {"--allow-multitarget-jobs"});
  INFO(run.process.out << run.process.err);
  REQUIRE(run.summary.is_object());
  CHECK(status_of(run.summary, "var-a") == "changed");
  for (const std::string node : {"var-a/VA1", "var-a/VA2"}) {
    INFO(node);
    json d = lab.dump(node);
    std::string disk = d["on_disk"].dump() + d["registry_jobs"].dump() + d["mirrors"].dump();
    CHECK(disk.find("VA3") == std::string::npos);
    CHECK(d["in_memory"] == d["on_disk"]);
    CHECK(d["violations"].empty());
  }
  // VA2's LifeKeeper is not under C:\LK: its %LKBIN% was used.
  auto va2_lcdsync = argv_of(lab.dump("var-a/VA2"), "lcdsync");
  REQUIRE_FALSE(va2_lcdsync.empty());
  CHECK(va2_lcdsync[0][0] == "C:\\Program Files\\SIOS\\LifeKeeper\\Bin\\lcdsync.exe");
  // VA1's DataKeeper is under Program Files (x86) (E9).
  auto va1_emcmd = argv_of(lab.dump("var-a/VA1"), "emcmd");
  REQUIRE_FALSE(va1_emcmd.empty());
  CHECK(va1_emcmd[0][0] == "C:\\Program Files (x86)\\SIOS\\DataKeeper\\emcmd.exe");
  // var-b shows its comm path as E5's status display: no device for net_remove -D.
  CHECK(status_of(run.summary, "var-b") == "refused");
  std::string reason = reason_of(run.summary, "var-b");
  INFO(reason);
  CHECK(reason.find("no device") != std::string::npos);
  CHECK(reason.find("10.9.0.1/10.9.0.2") != std::string::npos);
  CHECK(e2e::changes_since(lab, before, "var-b").empty());
  // A second run: var-a has nothing left to do.
  auto again = e2e::run_all(lab, logs.path, {"--allow-multitarget-jobs"});
  CHECK(status_of(again.summary, "var-a") == "nothing_to_do");
}

TEST_CASE("a replaced node that was never reinstalled is refused, nothing changed",
          "[e2e][formats]") {
  Lab lab(kScenarios + "/healthy-replaced.json");
  TempDir logs;
  json before = e2e::end_state(lab);
  auto run = e2e::run_all(lab, logs.path);
  INFO(run.process.out << run.process.err);
  CHECK(run.process.rc == 2);
  CHECK(status_of(run.summary, "sql-prod") == "refused");
  std::string reason = reason_of(run.summary, "sql-prod");
  INFO(reason);
  CHECK(reason.find("GPLAYER2008 still holds") != std::string::npos);
  CHECK(reason.find("not a freshly reinstalled node") != std::string::npos);
  CHECK(e2e::changes_since(lab, before, "sql-prod").empty());
}

TEST_CASE("three-node DataKeeper: all-pairs jobs, a two-target mirror refused unless allowed",
          "[e2e][formats]") {
  Lab lab(kScenarios + "/three-node-multitarget.json");
  TempDir logs;
  json before = e2e::end_state(lab);
  auto refused = e2e::run_all(lab, logs.path);
  INFO(refused.process.out << refused.process.err);
  CHECK(status_of(refused.summary, "erp-multi") == "refused");
  std::string reason = reason_of(refused.summary, "erp-multi");
  INFO(reason);
  CHECK(reason.find("volume K mirrors to CHARLIE and also to BRAVO") != std::string::npos);
  CHECK(reason.find("--allow-multitarget-jobs") != std::string::npos);
  CHECK(e2e::changes_since(lab, before, "erp-multi").empty());

  auto allowed = e2e::run_all(lab, logs.path, {"--allow-multitarget-jobs"});
  INFO(allowed.process.out << allowed.process.err);
  REQUIRE(allowed.process.rc == 0);
  CHECK(status_of(allowed.summary, "erp-multi") == "changed");
  for (const std::string node : {"erp-multi/ALPHA", "erp-multi/BRAVO"}) {
    INFO(node);
    json d = lab.dump(node);
    CHECK(d["registry_jobs"].dump().find("CHARLIE") == std::string::npos);
    CHECK(d["on_disk"]["systems"].dump().find("CHARLIE") == std::string::npos);
    CHECK(d["in_memory"] == d["on_disk"]);
    CHECK(d["violations"].empty());
  }
  // The job between ALPHA and BRAVO only (Vol.H) was not touched.
  CHECK(lab.dump("erp-multi/BRAVO")["registry_jobs"].dump().find(
            "77777777-8888-4999-aaaa-bbbbccccdddd") != std::string::npos);
  // The checklist lists every pair of the deleted K job, ALPHA-BRAVO included.
  std::string checklist = e2e::read_text(allowed.summary["run_dir"].get<std::string>() +
                                         "/clusters/erp-multi/reextension-checklist.txt");
  INFO(checklist);
  CHECK(checklist.find("2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901") != std::string::npos);
  CHECK(checklist.find("[between survivors] ALPHA") != std::string::npos);
}

TEST_CASE("lkrecover facts: every command judged; an odd line named with host, line and text",
          "[e2e][formats]") {
  Lab lab(kScenarios + "/seed.json");
  TempDir raw, logs;
  auto good = e2e::lkrecover(
      {"facts", "-i", lab.inventory_path(), "--raw", raw.path, "--log-dir", logs.path});
  INFO(good.out << good.err);
  CHECK(good.rc == 0);
  // Its audit folder is an audit folder like any run's.
  auto rj = e2e::validate_json("run.schema.json", e2e::newest_run_dir(logs.path) + "/run.json");
  INFO(rj.out << rj.err);
  CHECK(rj.rc == 0);
  json report = json::parse(good.out);
  REQUIRE(report["hosts"].size() == 2);
  for (const auto& h : report["hosts"]) {
    INFO(h.dump());
    CHECK(h["recognised"] == true);
    for (const auto& c : h["commands"]) CHECK(c["verdict"] == "recognised");
  }
  // The bundle: every output as sent, one folder per host.
  CHECK(std::filesystem::exists(raw.path + "/sql-prod/BENHOGAN2008"));
  bool has_net_list = false;
  for (const auto& f : std::filesystem::directory_iterator(raw.path + "/sql-prod/BENHOGAN2008"))
    has_net_list =
        has_net_list || f.path().filename().string().find("net_list.stdout") != std::string::npos;
  CHECK(has_net_list);

  // A line no layout explains: the lab's garbage fault on net_list.
  auto fault = lab.lab({"fault", "BENHOGAN2008", "--command", "net_list", "--garbage"});
  INFO(fault.out << fault.err);
  REQUIRE(fault.rc == 0);
  auto odd = e2e::lkrecover({"facts", "-i", lab.inventory_path()});
  INFO(odd.out << odd.err);
  CHECK(odd.rc == 2);
  json odd_report = json::parse(odd.out);
  bool flagged = false;
  for (const auto& h : odd_report["hosts"]) {
    if (h["host"] != "BENHOGAN2008") continue;
    CHECK(h["recognised"] == false);
    for (const auto& c : h["commands"]) {
      if (c["what"] != "net_list") continue;
      std::string verdict = c["verdict"];
      INFO(verdict);
      flagged = verdict.rfind("not recognised: ", 0) == 0 &&
                verdict.find("net_list: expected") != std::string::npos;
    }
  }
  CHECK(flagged);
}

TEST_CASE("a tag its node's code page cannot show is refused before any change",
          "[e2e][formats][codepage]") {
  // Japanese on code page 437: LifeKeeper prints "???-01" for "データ-01". Matching or
  // passing that back would act on a name that does not exist (or on another one).
  TempDir dir;
  const std::string scenario = dir.path + "/damaged.json";
  std::ofstream(scenario) << R"({
  "clusters": [{
    "name": "cp-damaged", "replaced": "R1",
    "nodes": [{"system": "S1", "address": "127.18.0.1", "codepage": 437},
              {"system": "R1", "address": "127.18.0.2"}],
    "comm_paths": [{"system": "S1", "othersystem": "R1",
                    "localaddr": "10.18.0.1", "remoteaddr": "10.18.0.2"}],
    "hierarchies": [{"in_service_on": "S1", "extended_to": ["R1"],
      "resources": [{"tag": "データ-01", "app": "comm", "type": "ip", "id": "10.18.0.100"},
                    {"tag": "Vol.E", "app": "filesys", "type": "volume", "id": "E",
                     "mirror": {"job_id": "6f708192-a3b4-45c6-d7e8-f90a1b2c3d4e",
                                "job_name": "E Vol"}}]}]
  }]
})";
  Lab lab(scenario);
  TempDir logs;
  json before = e2e::end_state(lab);
  auto run = e2e::run_all(lab, logs.path);
  INFO(run.process.out << run.process.err);
  if (e2e::over_winrm()) {
    // WinRS runs the shell in the code page the client asks for (WINRS_CODEPAGE: UTF-8),
    // so the name arrives whole and the cluster is recovered completely. (Were the tool
    // to print in another code page, the bytes would not decode as UTF-8 and the \xNN
    // refusal below would apply.)
    CHECK(run.process.rc == 0);
    CHECK(status_of(run.summary, "cp-damaged") == "changed");
    json d = lab.dump("cp-damaged/S1");
    CHECK(d["on_disk"].dump(-1, ' ', false).find("データ-01") != std::string::npos);
    CHECK(d["on_disk"]["systems"] == json::array({"S1"}));
    return;
  }
  CHECK(run.process.rc == 2);
  CHECK(status_of(run.summary, "cp-damaged") == "refused");
  std::string reason = reason_of(run.summary, "cp-damaged");
  INFO(reason);
  CHECK(reason.find("-01\"") != std::string::npos);  // the damaged name, as the node shows it
  CHECK(reason.find("code page") != std::string::npos);
  CHECK(reason.find("nothing was changed") != std::string::npos);
  CHECK(e2e::changes_since(lab, before, "cp-damaged").empty());
}
