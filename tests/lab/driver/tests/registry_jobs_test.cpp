// DataKeeper jobs live in the registry (RUNBOOK.md step 5; LAB.md).
#include <catch2/catch.hpp>

#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;

namespace {
const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
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
