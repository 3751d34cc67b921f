// DataKeeper jobs live in the registry (RUNBOOK.md step 5; LAB.md): the value Endpoints,
// a REG_MULTI_SZ with a tuple per node pair (E6, E7).
#include <catch2/catch.hpp>

#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;
using lab::testing::lf;

namespace {
const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kMultiTarget = std::string(LAB_SCENARIO_DIR) + "/three-node-multitarget.json";
const std::string kVariants = std::string(LAB_SCENARIO_DIR) + "/variants.json";
const std::string kHealthy = std::string(LAB_SCENARIO_DIR) + "/healthy-replaced.json";
const std::string kJobsKey = "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs";
// Vol.K of three-node-multitarget.json: ALPHA (10.1.0.1) extended to BRAVO (10.1.0.2) and
// CHARLIE (10.1.0.3), the first network of each pair; one tuple per pair (E7).
const std::vector<std::string> kTuplesK = {"ALPHA;K;10.1.0.1;BRAVO;K;10.1.0.2;A",
                                           "ALPHA;K;10.1.0.1;CHARLIE;K;10.1.0.3;A",
                                           "BRAVO;K;10.1.0.2;CHARLIE;K;10.1.0.3;A"};
// As the runbook runs it: from DataKeeper's folder. (A quoted "%ExtMirrBase%\emcmd"
// as the first word would lose its quotes to cmd /c's quote rule.)
const std::string kEmcmd = "cd /d \"%ExtMirrBase%\" && emcmd";
const std::string kJobId = "e829700c-27b0-447f-b852-1a3135da31a7";
const std::string kJobKey =
    "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\" + kJobId;
}  // namespace

TEST_CASE("reg delete of the job key makes getjobinfoforvol print nothing") {
  LabFixture fx(kSeed);
  REQUIRE(fx.dump("BENHOGAN2008")["registry_jobs"].size() == 1);
  auto del = fx.ssh("BENHOGAN2008", "reg delete " + kJobKey + " /f");
  CHECK(del.rc == 0);
  auto info = fx.ssh("BENHOGAN2008", kEmcmd + " . getjobinfoforvol E");
  CHECK(info.out.empty());
  CHECK(fx.dump("BENHOGAN2008")["registry_jobs"].empty());
}

TEST_CASE("emcmd deletejob fails and keeps the job") {
  LabFixture fx(kSeed);
  auto del = fx.ssh("BENHOGAN2008", kEmcmd + " . deletejob " + kJobId);
  CHECK(del.rc != 0);
  auto info = fx.ssh("BENHOGAN2008", kEmcmd + " . getjobinfoforvol E");
  CHECK(info.out.find("ID = " + kJobId) != std::string::npos);
  auto jobs = fx.dump("BENHOGAN2008")["registry_jobs"];
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0]["id"] == kJobId);
}

TEST_CASE("a job of three nodes holds every pair, in every participant's registry (E7)") {
  LabFixture fx(kMultiTarget);
  std::string value = "    Endpoints    REG_MULTI_SZ    " + kTuplesK[0] + "\\0" + kTuplesK[1] +
                      "\\0" + kTuplesK[2] + "\r\n";
  for (const char* node : {"ALPHA", "BRAVO"}) {
    INFO(node);
    auto q = fx.ssh(node, "reg query " + kJobsKey + " /s");
    CHECK(q.rc == 0);
    CHECK(q.out.find(value) != std::string::npos);
    auto info = fx.ssh(node, kEmcmd + " . getjobinfoforvol K");
    CHECK(lf(info.out).find("Name = K Vol\nDescription =\nMirrorEndPoints = " + kTuplesK[0] +
                            "\nMirrorEndPoints = " + kTuplesK[1] +
                            "\nMirrorEndPoints = " + kTuplesK[2] + "\n") != std::string::npos);
  }
  CHECK(fx.dump("CHARLIE")["registry_jobs"].empty());  // reinstalled: nothing
  // ALPHA is the source toward both; BRAVO a target of ALPHA (E10).
  CHECK(lf(fx.ssh("ALPHA", kEmcmd + " . getmirrorvolinfo K").out) ==
        "K: 1 BRAVO 10.1.0.2 1\nK: 1 CHARLIE 10.1.0.3 3\n");
  CHECK(lf(fx.ssh("BRAVO", kEmcmd + " . getmirrorvolinfo K").out) == "K: 2 ALPHA 10.1.0.1 1\n");
  auto mirrors = fx.dump("ALPHA")["mirrors"];
  bool found = false;
  for (const auto& m : mirrors) {
    if (m["volume"] != "K") continue;
    found = true;
    CHECK(m["role"] == "source");  // the dump keeps its fields
    CHECK(m["targets"] == nlohmann::json::array({"10.1.0.2", "10.1.0.3"}));
  }
  CHECK(found);
  auto paths = fx.dump("BRAVO")["in_memory"]["comm_paths"];
  REQUIRE(paths.size() == 4);
  CHECK(paths[0]["device"] == "TCPIP:1500");
  CHECK(paths[1]["device"] == "TCPIP:1510");
  CHECK(paths[0]["othersystem"] == "CHARLIE");  // the dump's fields stay
  CHECK(paths[0]["localaddr"] == "10.1.0.2");
}

TEST_CASE("variants.json speaks the non-default formats") {
  LabFixture fx(kVariants);
  auto info = fx.ssh("VA1", kEmcmd + " . getjobinfoforvol M");
  CHECK(lf(info.out) ==
        "ID = 3c4d5e6f-7081-4293-a4b5-c6d7e8f90a1b\nName = M Vol\nDescription = three-node job\n"
        "MirrorEndPoints = VA1;M;10.7.0.1;VA2;M;10.7.0.2;S;VA1;M;10.7.0.1;VA3;M;10.7.0.3;S;"
        "VA2;M;10.7.0.2;VA3;M;10.7.0.3;S\n");
  auto none = fx.ssh("VA1", kEmcmd + " . getmirrorvolinfo Q");
  CHECK(none.out.empty());
  CHECK(none.rc == 0);
  auto net = fx.ssh("VA1", "net_list -f#");
  CHECK(lf(net.out) ==
        "VA1#VA2#10.7.0.1/10.7.0.2#TCPIP:1500#ALIVE#1\n"
        "VA1#VA3#10.7.0.1/10.7.0.3#TCPIP:1510#DEAD#2\n"
        "VA1#VA3#10.8.0.1/10.8.0.3#TCPIP:1500#DEAD#1\n");
  auto vol = fx.ssh("VA2", "ins_list -f# -t Vol.N");
  CHECK(lf(vol.out).rfind("filesys#volume#Vol.N#N#INTELLIGENT#", 0) == 0);
  CHECK(lf(vol.out).substr(lf(vol.out).size() - 5) == "#ISU\n");  // seven fields: state last
  auto empty = fx.ssh("VA3", "eqv_list");
  CHECK(empty.out.empty());
  CHECK(empty.rc == 0);
  CHECK(lf(fx.ssh("VA2", "set LKBIN").out) == "LKBIN=C:\\Program Files\\SIOS\\LifeKeeper\\Bin\n");
  CHECK(lf(fx.ssh("VB1", "net_list -f#").out) == "VB2#TCP#10.9.0.1/10.9.0.2#DEAD#1\n");
}

TEST_CASE("a replaced node that was never reinstalled is a healthy member") {
  LabFixture fx(kHealthy);
  CHECK(lf(fx.ssh("GPLAYER2008", "sys_list").out) == "BENHOGAN2008\nGPLAYER2008\n");
  CHECK(lf(fx.ssh("GPLAYER2008", "net_list -f#").out) ==
        "BENHOGAN2008#10.200.8.26/10.200.8.25#TCPIP:1500#ALIVE#1\n");
  CHECK(lf(fx.ssh("GPLAYER2008", "eqv_list -f# -t Vol.E").out) ==
        "GPLAYER2008#Vol.E#BENHOGAN2008#Vol.E#SHARED#10#1\n");
  CHECK(lf(fx.ssh("GPLAYER2008", kEmcmd + " . getmirrorvolinfo E").out) ==
        "E: 2 BENHOGAN2008 10.200.8.25 1\n");
  CHECK(lf(fx.ssh("BENHOGAN2008", kEmcmd + " . getmirrorvolinfo E").out) ==
        "E: 1 GPLAYER2008 10.200.8.26 1\n");
  CHECK(fx.dump("GPLAYER2008")["registry_jobs"].size() == 1);
}
