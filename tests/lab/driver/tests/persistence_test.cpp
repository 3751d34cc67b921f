// lcdsync writes the in-memory database to disk; `lab restart` reloads memory from
// disk, so a change not synced is lost (LAB.md).
#include <catch2/catch.hpp>

#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;
using lab::testing::lf;

namespace {
const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kRemoveVolE =
    "eqv_remove -s BENHOGAN2008 -t Vol.E -S GPLAYER2008 -o Vol.E -e SHARED";
const std::string kOnlyIp =
    "BENHOGAN2008 LK1-BENHOGAN2K8 GPLAYER2008 LK1-BENHOGAN2K8 SHARED 1 10\n";
const std::string kBoth = kOnlyIp + "BENHOGAN2008 Vol.E GPLAYER2008 Vol.E SHARED 1 10\n";
// With a blank as separator, eqv_list prints the runbook's sample lines.
const std::string kEqvList = "eqv_list -f \" \"";
}  // namespace

TEST_CASE("a change synced with lcdsync survives a restart") {
  LabFixture fx(kSeed);
  REQUIRE(fx.ssh("BENHOGAN2008", kRemoveVolE).rc == 0);
  REQUIRE(fx.ssh("BENHOGAN2008", "lcdsync").rc == 0);
  auto restart = fx.lab({"restart", "BENHOGAN2008"});
  REQUIRE(restart.rc == 0);
  CHECK(lf(fx.ssh("BENHOGAN2008", kEqvList).out) == kOnlyIp);
  auto dump = fx.dump("BENHOGAN2008");
  CHECK(dump["on_disk"]["equivalencies"].size() == 1);
  CHECK(dump["in_memory"]["equivalencies"].size() == 1);
}

TEST_CASE("a change not synced is lost by a restart") {
  LabFixture fx(kSeed);
  REQUIRE(fx.ssh("BENHOGAN2008", kRemoveVolE).rc == 0);
  CHECK(lf(fx.ssh("BENHOGAN2008", kEqvList).out) == kOnlyIp);
  auto before = fx.dump("BENHOGAN2008");
  CHECK(before["on_disk"]["equivalencies"].size() == 2);
  CHECK(before["in_memory"]["equivalencies"].size() == 1);
  REQUIRE(fx.lab({"restart", "BENHOGAN2008"}).rc == 0);
  CHECK(lf(fx.ssh("BENHOGAN2008", kEqvList).out) == kBoth);
}
