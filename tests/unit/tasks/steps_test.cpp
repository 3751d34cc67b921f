#include <catch2/catch.hpp>

#include "tasks/node_facts.h"
#include "tasks/steps/cluster_serial.h"
#include "tasks/steps/datakeeper.h"
#include "tasks/steps/equivalencies.h"
#include "tasks/steps/lkdrinfo.h"
#include "tasks/steps/purge_resources.h"
#include "tasks/steps/snapshot.h"
#include "tests/unit/tasks/fake_node.h"

using namespace lkr;
using namespace lkr::tasks;
using namespace lkr::tasks::test;
using Catch::Matchers::Contains;

namespace {

const std::string R = "GPLAYER2008";
const std::string kBin = "C:\\LK\\Bin\\";
const std::string kEmcmd = "C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe";
// Windows' tools by full path under %SystemRoot% (host_named: C:\\Windows).
const std::string kReg = "C:\\Windows\\System32\\reg.exe";
const std::string kCertutil = "C:\\Windows\\System32\\certutil.exe";
const std::string kJobKey =
    "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\" + kJobId;

// A command as program + args, for comparing with what the runbook prints.
std::vector<std::string> words(const Command& c) {
  std::vector<std::string> w{c.program};
  for (const auto& a : c.args) w.push_back(a.text);
  return w;
}

std::vector<std::vector<std::string>> words(const std::vector<Action>& actions) {
  std::vector<std::vector<std::string>> out;
  for (const auto& a : actions) out.push_back(words(a.command));
  return out;
}

NodeFacts facts_of(const FakeNode& n) { return gather_facts(host_named(n.hostname), n.reader()); }

CommandResult output(const std::string& text, int code = 0) {
  CommandResult r;
  r.exit_code = code;
  r.stdout_utf8 = text;
  return r;
}

// A survivor of a three-node cluster: BENHOGAN2008 also shares Vol.F with THIRD, over its
// own comm path and DataKeeper job; none of that refers to GPLAYER2008.
FakeNode survivor_with_third() {
  FakeNode n = seed_survivor();
  n.sys_list += "THIRD\n";
  n.eqv_list += "BENHOGAN2008\tVol.F\tTHIRD\tVol.F\tSHARED\t1\t10\n";
  n.net_list += "THIRD\t10.200.9.25/10.200.9.27\tTCPIP:1500\tALIVE\t1\n";
  n.ins_list += "filesys\tvolume\tVol.F\tF:\tINTELLIGENT\t\tISP\n";
  const std::string f_job = "0a1b2c3d-0000-4111-8222-333344445555";
  n.job_info["F"] = "ID = " + f_job +
                    "\nName = F Vol\nDescription =\n"
                    "MirrorEndPoints = BENHOGAN2008;F;10.200.9.25;THIRD;F;10.200.9.27;S\n";
  n.reg_jobs += reg_jobs(f_job, "F Vol", "BENHOGAN2008;F;10.200.9.25;THIRD;F;10.200.9.27;S")
                    .substr(1 + kJobsKeyLong.size() + 2);  // the job key only
  n.mirror_info["F"] = "F: 1 THIRD 10.200.9.27 1\n";
  n.lkdrinfo = {"E", "F"};
  return n;
}

}  // namespace

TEST_CASE("snapshot: reg export, copied byte for byte by certutil, then no file left on the node",
          "[tasks][steps]") {
  NodeFacts f = facts_of(seed_survivor());
  auto actions = snapshot::plan(f, host_named("BENHOGAN2008"), R);
  // SYSTEM's temporary folder: only SYSTEM and Administrators can write there.
  const std::string backup =
      "C:\\Windows\\System32\\config\\systemprofile\\AppData\\Local\\Temp\\lkrecover-" + kJobId +
      ".reg";
  const std::string encoded = backup + ".b64";
  CHECK(words(actions) ==
        std::vector<std::vector<std::string>>{{kReg, "export", kJobKey, backup, "/y"},
                                              {kCertutil, "-hashfile", backup, "SHA256"},
                                              {kCertutil, "-f", "-encode", backup, encoded},
                                              {"type", encoded},
                                              {"del", backup},
                                              {"del", encoded},
                                              {"if exist", backup},
                                              {"if exist", encoded}});
  for (const auto& a : actions) CHECK(a.kind == StepKind::read_only);
  // What is saved is the decoded copy, checked against the digest the node printed: the
  // hashfile action hands it over once its output is read.
  const Action& save = actions[3];
  CHECK(save.save_as == "datakeeper/job-" + kJobId + ".reg");
  CHECK(save.command.kind == CommandKind::builtin);
  REQUIRE(save.node_sha256);
  CHECK_FALSE(save.node_sha256().has_value());
  REQUIRE(actions[1].check);
  const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  CHECK_FALSE(actions[1]
                  .check(output("SHA256 hash of x:\r\n" + abc +
                                "\r\nCertUtil: -hashfile command completed successfully.\r\n"))
                  .has_value());
  CHECK(save.node_sha256() == abc);
  // An odd digest line fails the step, quoting it; a failed certutil fails it too.
  auto odd = actions[1].check(output("SHA256 hash of x:\r\nnot a digest\r\nCertUtil: ok\r\n"));
  REQUIRE(odd.has_value());
  CHECK_THAT(*odd, Contains("not a digest"));
  CHECK(actions[1].check(output("CertUtil: -hashfile command FAILED\r\n", 2)).has_value());
  // The copy's text must be certutil's armour around base64, whole.
  REQUIRE(save.check);
  CHECK(save.check(output("")).has_value());  // an empty copy is no copy
  CHECK_FALSE(
      save.check(output("-----BEGIN CERTIFICATE-----\r\nTWFu\r\n-----END CERTIFICATE-----\r\n"))
          .has_value());
  CommandResult cut =
      output("-----BEGIN CERTIFICATE-----\r\nTWFu\r\n-----END CERTIFICATE-----\r\n");
  cut.truncated = true;
  CHECK(save.check(cut).has_value());
  // del keeps errorlevel 0 when it finds nothing: `if exist` decides, for both files.
  for (std::size_t i : {6u, 7u}) {
    REQUIRE(actions[i].check);
    auto still_there = actions[i].check(output("yes\r\n"));
    REQUIRE(still_there.has_value());
    CHECK_THAT(*still_there, Contains(i == 6 ? backup : encoded));
    CHECK_FALSE(actions[i].check(output("no\r\n")).has_value());
    CHECK(actions[i].check(output("maybe\r\n")).has_value());
  }
  CHECK(snapshot::listings(f, host_named("BENHOGAN2008")).size() == 6);
}

TEST_CASE("equivalencies: exactly the runbook's eqv_remove, -o always passed", "[tasks][steps]") {
  NodeFacts f = facts_of(seed_survivor());
  auto actions = equivalencies::plan(f, host_named("BENHOGAN2008"), R);
  // RUNBOOK §2: eqv_remove -s BENHOGAN2008 -t LK1-BENHOGAN2K8 -S GPLAYER2008 -e SHARED, plus -o
  // (the synopsis) and -d naming the database changed (E3's eqv_create).
  CHECK(words(actions) ==
        std::vector<std::vector<std::string>>{
            {kBin + "eqv_remove.exe", "-d", "BENHOGAN2008", "-s", "BENHOGAN2008", "-t",
             "LK1-BENHOGAN2K8", "-S", "GPLAYER2008", "-o", "LK1-BENHOGAN2K8", "-e", "SHARED"},
            {kBin + "eqv_remove.exe", "-d", "BENHOGAN2008", "-s", "BENHOGAN2008", "-t", "Vol.E",
             "-S", "GPLAYER2008", "-o", "Vol.E", "-e", "SHARED"}});
  for (const auto& a : actions) CHECK(a.kind == StepKind::node_change);
  CHECK(equivalencies::verify(f, R).size() == 2);
  CHECK(equivalencies::verify(facts_of(clean_survivor()), R).empty());
}

TEST_CASE("equivalencies: a line listed from R's side is removed from the survivor's side",
          "[tasks][steps]") {
  FakeNode n = seed_survivor();
  n.eqv_list = "GPLAYER2008\tVol.E\tBENHOGAN2008\tVol.E\tSHARED\t10\t1\n";
  auto actions = equivalencies::plan(facts_of(n), host_named("BENHOGAN2008"), R);
  CHECK(words(actions) == std::vector<std::vector<std::string>>{
                              {kBin + "eqv_remove.exe", "-d", "BENHOGAN2008", "-s", "BENHOGAN2008",
                               "-t", "Vol.E", "-S", "GPLAYER2008", "-o", "Vol.E", "-e", "SHARED"}});
}

TEST_CASE("lkdrinfo: del of the file of each volume mirrored with R", "[tasks][steps]") {
  NodeFacts f = facts_of(seed_survivor());
  auto actions = lkdrinfo::plan(f, host_named("BENHOGAN2008"), R);
  CHECK(words(actions) == std::vector<std::vector<std::string>>{
                              {"del", "C:\\LK\\subsys\\filesys\\resources\\volume\\LKDRInfo.E"}});
  CHECK(actions[0].command.kind == CommandKind::builtin);
  CHECK(actions[0].kind == StepKind::node_change);
  CHECK(lkdrinfo::verify(f, R) == std::vector<std::string>{"LKDRInfo.E still exists"});
  FakeNode deleted = seed_survivor();
  deleted.lkdrinfo.clear();
  CHECK(lkdrinfo::plan(facts_of(deleted), host_named("BENHOGAN2008"), R).empty());
  CHECK(lkdrinfo::verify(facts_of(deleted), R).empty());
}

TEST_CASE("datakeeper: reg delete, check, deletelocalmirroronly, clearswitchover",
          "[tasks][steps]") {
  NodeFacts f = facts_of(seed_survivor());
  auto actions = datakeeper::plan(f, host_named("BENHOGAN2008"), R);
  CHECK(words(actions) ==
        std::vector<std::vector<std::string>>{{kReg, "delete", kJobKey, "/f"},
                                              {kEmcmd, ".", "getjobinfoforvol", "E"},
                                              {kEmcmd, ".", "deletelocalmirroronly", "E"},
                                              {kEmcmd, ".", "clearswitchover", "E"}});
  REQUIRE(actions.size() == 4);
  CHECK(actions[0].kind == StepKind::node_change);
  CHECK(actions[1].kind == StepKind::read_only);
  CHECK(actions[2].kind == StepKind::node_change);
  CHECK(actions[3].kind == StepKind::node_change);
  for (const auto& a : actions) CHECK(words(a.command)[2] != "deletejob");
  // The read-only check: the deleted job must no longer be listed ("now prints nothing").
  CHECK_FALSE(actions[1].check(output("")).has_value());
  CHECK_THAT(*actions[1].check(output(kJobInfoSample)), Contains(kJobId));
  // RUNBOOK §5: each emcmd change answers "Status = 0".
  for (std::size_t i : {2u, 3u}) {
    CHECK_FALSE(actions[i].check(output("Status = 0\r\n")).has_value());
    CHECK_THAT(*actions[i].check(output("Status = 15\r\n")), Contains("Status = 15"));
    CHECK(actions[i].check(output("")).has_value());
  }
  CHECK(datakeeper::verify(f, R).size() == 2);  // the job and the mirror
  CHECK(datakeeper::verify(facts_of(clean_survivor()), R).empty());
}

TEST_CASE("datakeeper: after an interrupted run, a mirror to R without its job", "[tasks][steps]") {
  FakeNode n = seed_survivor();
  n.job_info.clear();  // reg delete done; the mirror still there (getmirrorvolinfo names R)
  n.reg_jobs = "";
  auto actions = datakeeper::plan(facts_of(n), host_named("BENHOGAN2008"), R);
  CHECK(words(actions) ==
        std::vector<std::vector<std::string>>{{kEmcmd, ".", "deletelocalmirroronly", "E"},
                                              {kEmcmd, ".", "clearswitchover", "E"}});
}

// A three-node job holds every pair (E7): BENHOGAN2008-GPLAYER2008, BENHOGAN2008-THIRD,
// GPLAYER2008-THIRD.
FakeNode with_all_pairs_job(const std::string& mirrors) {
  FakeNode n = seed_survivor();
  n.reg_jobs = reg_jobs(kJobId, "E Vol",
                        "BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A\\0"
                        "BENHOGAN2008;E;10.200.8.25;THIRD;E;10.200.8.27;A\\0"
                        "GPLAYER2008;E;10.200.8.26;THIRD;E;10.200.8.27;A");
  n.mirror_info["E"] = mirrors;
  return n;
}

TEST_CASE("datakeeper: an all-pairs job is deleted whole, by default (E7)", "[tasks][steps]") {
  // THIRD's view of a mirror sourced elsewhere: only the job names R.
  FakeNode n = with_all_pairs_job("E: 2 BENHOGAN2008 10.200.8.25 1\n");
  auto actions = datakeeper::plan(facts_of(n), host_named("BENHOGAN2008"), R);
  CHECK(words(actions) == std::vector<std::vector<std::string>>{
                              {kReg, "delete", kJobKey, "/f"},
                              {kEmcmd, ".", "getjobinfoforvol", "E"}});  // the mirror stays
  CHECK_THAT(actions[0].description, Contains("also pairs THIRD"));
  // A mirror to R only: the seed's four steps.
  FakeNode one = with_all_pairs_job(kMirrorInfoSample);
  CHECK(datakeeper::plan(facts_of(one), host_named("BENHOGAN2008"), R).size() == 4);
}

TEST_CASE("datakeeper: a volume mirrored to R and to another node is refused unless allowed",
          "[tasks][steps]") {
  FakeNode n = with_all_pairs_job("E: 1 GPLAYER2008 10.200.8.26 3\nE: 1 THIRD 10.200.8.27 1\n");
  NodeFacts f = facts_of(n);
  CHECK_THROWS_AS(datakeeper::plan(f, host_named("BENHOGAN2008"), R), PlanRefused);
  CHECK_THROWS_WITH(datakeeper::plan(f, host_named("BENHOGAN2008"), R),
                    Contains("volume E mirrors to GPLAYER2008 and also to THIRD (10.200.8.27)") &&
                        Contains("no target") && Contains("--allow-multitarget-jobs"));
  auto allowed = datakeeper::plan(f, host_named("BENHOGAN2008"), R, true);
  REQUIRE(allowed.size() == 4);
  CHECK(words(allowed[0].command) == std::vector<std::string>{kReg, "delete", kJobKey, "/f"});
}

TEST_CASE("cluster_serial: sys_remove, net_remove per path, then always lcdsync",
          "[tasks][steps]") {
  FakeNode n = seed_survivor();
  n.net_list += "GPLAYER2008\t192.168.1.25/192.168.1.26\tTCPIP:1510\tDEAD\t2\n";
  NodeFacts f = facts_of(n);
  auto actions = cluster_serial::plan(f, host_named("BENHOGAN2008"), R);
  // E3/E4: -d the local system, -s the OTHER system, -D the device, -r/-l the addresses.
  CHECK(words(actions) == std::vector<std::vector<std::string>>{
                              {kBin + "sys_remove.exe", "-d", "BENHOGAN2008", "-s", "GPLAYER2008"},
                              {kBin + "net_remove.exe", "-d", "BENHOGAN2008", "-s", "GPLAYER2008",
                               "-D", "TCPIP:1500", "-r", "10.200.8.26", "-l", "10.200.8.25"},
                              {kBin + "net_remove.exe", "-d", "BENHOGAN2008", "-s", "GPLAYER2008",
                               "-D", "TCPIP:1510", "-r", "192.168.1.26", "-l", "192.168.1.25"},
                              {kBin + "lcdsync.exe", "-d", "BENHOGAN2008"}});
  for (const auto& a : actions)
    for (const auto& w : words(a.command)) CHECK(w != "-S");
  for (const auto& a : actions) CHECK(a.kind == StepKind::cluster_serial);
  CHECK(actions.back().flush);
  CHECK_FALSE(actions.front().flush);
  CHECK_THAT(actions.back().description, Contains("flush; no-op when nothing is pending"));
  CHECK(cluster_serial::verify(f, R).size() == 3);
}

TEST_CASE("an already-clean survivor plans nothing but lcdsync", "[tasks][steps]") {
  NodeFacts f = facts_of(clean_survivor());
  Host h = host_named("BENHOGAN2008");
  CHECK(snapshot::plan(f, h, R).empty());
  CHECK(equivalencies::plan(f, h, R).empty());
  CHECK(lkdrinfo::plan(f, h, R).empty());
  CHECK(datakeeper::plan(f, h, R).empty());
  auto serial = cluster_serial::plan(f, h, R);
  CHECK(words(serial) ==
        std::vector<std::vector<std::string>>{{kBin + "lcdsync.exe", "-d", "BENHOGAN2008"}});
  CHECK(cluster_serial::verify(f, R).empty());
}

TEST_CASE("nothing between survivors is ever planned", "[tasks][steps]") {
  NodeFacts f = facts_of(survivor_with_third());
  Host h = host_named("BENHOGAN2008");
  std::vector<Action> all;
  for (auto part : {snapshot::plan(f, h, R), equivalencies::plan(f, h, R), lkdrinfo::plan(f, h, R),
                    datakeeper::plan(f, h, R), cluster_serial::plan(f, h, R)})
    all.insert(all.end(), part.begin(), part.end());
  CHECK(all.size() == 8 + 2 + 1 + 4 + 3);  // the seed's plan, unchanged by THIRD
  for (const auto& a : all)
    for (const auto& w : words(a.command)) {
      CHECK_THAT(w, !Contains("THIRD") && !Contains("Vol.F") && !Contains("10.200.9.") &&
                        !Contains("0a1b2c3d") && !Contains("LKDRInfo.F"));
      CHECK(w != "F");
    }
}

TEST_CASE("purge_resources: ins_remove -t per resource", "[tasks][steps]") {
  NodeFacts f = facts_of(seed_survivor());
  auto actions = purge_resources::plan(f, host_named("BENHOGAN2008"));
  CHECK(words(actions) ==
        std::vector<std::vector<std::string>>{
            {kBin + "ins_remove.exe", "-d", "BENHOGAN2008", "-t", "LK1-BENHOGAN2K8"},
            {kBin + "ins_remove.exe", "-d", "BENHOGAN2008", "-t", "Vol.E"}});
  CHECK(purge_resources::verify(f).size() == 2);
}

TEST_CASE("datakeeper: a job naming R without a local mirror skips deletelocalmirroronly",
          "[tasks][steps]") {
  FakeNode n = seed_survivor();
  n.mirror_info.clear();  // getmirrorvolinfo: Status = 15 (E12)
  auto actions = datakeeper::plan(facts_of(n), host_named("BENHOGAN2008"), R);
  CHECK(words(actions) ==
        std::vector<std::vector<std::string>>{{kReg, "delete", kJobKey, "/f"},
                                              {kEmcmd, ".", "getjobinfoforvol", "E"}});
}

TEST_CASE("cluster_serial: a path net_list shows without a device is refused", "[tasks][steps]") {
  FakeNode n = seed_survivor();
  n.net_list = "GPLAYER2008\tTCP\t10.200.8.25/10.200.8.26\tDEAD\t1\n";  // E5's layout
  CHECK_THROWS_WITH(cluster_serial::plan(facts_of(n), host_named("BENHOGAN2008"), R),
                    Contains("no device") && Contains("-D") && Contains("10.200.8.25/10.200.8.26"));
}
