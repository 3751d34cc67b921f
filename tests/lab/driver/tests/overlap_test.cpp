// Two nodes of one cluster inside their sys_remove..lcdsync window at the same time
// are recorded as a violation (LAB.md).
#include <catch2/catch.hpp>

#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;

namespace {

const std::string kThreeNode = std::string(LAB_SCENARIO_DIR) + "/three-node.json";

// Removes `system`'s equivalencies with CHARLIE, then CHARLIE itself (opens the window).
void open_window(const LabFixture& fx, const std::string& system,
                 const std::vector<std::string>& tags) {
  for (const auto& tag : tags) {
    auto r = fx.ssh(
        system, "eqv_remove -s " + system + " -t " + tag + " -S CHARLIE -o " + tag + " -e SHARED");
    INFO(system << " " << tag << ": " << r.out << r.err);
    REQUIRE(r.rc == 0);
  }
  REQUIRE(fx.ssh(system, "sys_remove -s CHARLIE").rc == 0);
}

size_t overlap_count(const nlohmann::json& dump) {
  size_t n = 0;
  for (const auto& v : dump["violations"]) n += v["kind"] == "cluster_window_overlap";
  return n;
}

}  // namespace

TEST_CASE("overlapping windows of two survivors are a violation") {
  LabFixture fx(kThreeNode);
  open_window(fx, "ALPHA", {"IP-ERP-APP", "Vol.F"});
  open_window(fx, "BRAVO", {"IP-ERP-DB", "Vol.G"});
  auto bravo = fx.dump("BRAVO");
  REQUIRE(overlap_count(bravo) >= 1);
  CHECK(bravo["violations"][0]["other"] == "ALPHA");
}

TEST_CASE("one window after the other is no violation") {
  LabFixture fx(kThreeNode);
  open_window(fx, "ALPHA", {"IP-ERP-APP", "Vol.F"});
  REQUIRE(fx.ssh("ALPHA", "lcdsync").rc == 0);
  open_window(fx, "BRAVO", {"IP-ERP-DB", "Vol.G"});
  REQUIRE(fx.ssh("BRAVO", "lcdsync").rc == 0);
  CHECK(overlap_count(fx.dump("ALPHA")) == 0);
  CHECK(overlap_count(fx.dump("BRAVO")) == 0);
}
