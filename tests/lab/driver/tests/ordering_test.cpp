// The runbook's ordering rules (RUNBOOK.md "What the order protects"; LAB.md).
#include <catch2/catch.hpp>

#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;
using lab::testing::lf;

namespace {
const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";

std::string eqv_remove(const std::string& tag) {
  return "eqv_remove -s BENHOGAN2008 -t " + tag + " -S GPLAYER2008 -o " + tag + " -e SHARED";
}
}  // namespace

TEST_CASE("sys_remove is refused while an equivalency names the system, accepted after") {
  LabFixture fx(kSeed);
  auto refused = fx.ssh("BENHOGAN2008", "sys_remove -s GPLAYER2008");
  CHECK(refused.rc == 1);
  CHECK(lf(fx.ssh("BENHOGAN2008", "sys_list").out) == "BENHOGAN2008\nGPLAYER2008\n");

  CHECK(fx.ssh("BENHOGAN2008", eqv_remove("LK1-BENHOGAN2K8")).rc == 0);
  // One equivalency is still left: still refused.
  CHECK(fx.ssh("BENHOGAN2008", "sys_remove -s GPLAYER2008").rc == 1);
  CHECK(fx.ssh("BENHOGAN2008", eqv_remove("Vol.E")).rc == 0);
  CHECK(fx.ssh("BENHOGAN2008", "eqv_list").out.empty());

  CHECK(fx.ssh("BENHOGAN2008", "sys_remove -s GPLAYER2008").rc == 0);
  CHECK(lf(fx.ssh("BENHOGAN2008", "sys_list").out) == "BENHOGAN2008\n");
  auto dump = fx.dump("BENHOGAN2008");
  CHECK(dump["in_memory"]["systems"] == nlohmann::json::array({"BENHOGAN2008"}));
}

TEST_CASE("removing what is already gone is an error") {
  LabFixture fx(kSeed);
  CHECK(fx.ssh("BENHOGAN2008", eqv_remove("Vol.E")).rc == 0);
  auto again = fx.ssh("BENHOGAN2008", eqv_remove("Vol.E"));
  CHECK(again.rc == 7);  // E13: the object does not exist
  CHECK_FALSE((again.out + again.err).empty());
}
