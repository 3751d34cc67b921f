// Initial node states built from the scenarios (LAB.md; expected values from RUNBOOK.md).
#include "tests/lab/driver/initial_state.h"

#include <catch2/catch.hpp>

namespace {

lab::Scenario scenario(const char* name) {
  return lab::load_scenario(std::string(LAB_SCENARIO_DIR) + "/" + name);
}

lab::NodeState state_of(const lab::Scenario& s, const std::string& system) {
  const auto& c = s.clusters.at(0);
  return lab::initial_node_state(c, *lab::find_node(c, system), "/cluster");
}

std::string eqv_line(const lab::Equivalency& e) {
  return e.sys + " " + e.tag + " " + e.othersys + " " + e.othertag + " " + e.type + " " +
         std::to_string(e.priority) + " " + std::to_string(e.otherpriority);
}

// The on-disk copy starts equal to the in-memory one (compared field by field: the
// element structs of Database have no operator==).
void check_disk_matches_memory(const lab::NodeState& s) {
  CHECK(s.on_disk.systems == s.in_memory.systems);
  REQUIRE(s.on_disk.equivalencies.size() == s.in_memory.equivalencies.size());
  for (size_t i = 0; i < s.on_disk.equivalencies.size(); ++i)
    CHECK(eqv_line(s.on_disk.equivalencies[i]) == eqv_line(s.in_memory.equivalencies[i]));
  CHECK(s.on_disk.comm_paths.size() == s.in_memory.comm_paths.size());
  CHECK(s.on_disk.resources.size() == s.in_memory.resources.size());
}

}  // namespace

TEST_CASE("seed survivor: the runbook's databases, job and mirror") {
  auto s = state_of(scenario("seed.json"), "BENHOGAN2008");
  check_disk_matches_memory(s);
  CHECK(s.in_memory.systems == std::vector<std::string>{"BENHOGAN2008", "GPLAYER2008"});
  REQUIRE(s.in_memory.equivalencies.size() == 2);
  // RUNBOOK.md step 1 sample output.
  CHECK(eqv_line(s.in_memory.equivalencies[0]) ==
        "BENHOGAN2008 LK1-BENHOGAN2K8 GPLAYER2008 LK1-BENHOGAN2K8 SHARED 1 10");
  CHECK(eqv_line(s.in_memory.equivalencies[1]) ==
        "BENHOGAN2008 Vol.E GPLAYER2008 Vol.E SHARED 1 10");
  REQUIRE(s.in_memory.comm_paths.size() == 1);
  const auto& p = s.in_memory.comm_paths[0];
  CHECK(p.localaddr == "10.200.8.25");
  CHECK(p.remoteaddr == "10.200.8.26");
  CHECK(p.state == "DEAD");
  REQUIRE(s.in_memory.resources.size() == 2);
  CHECK(s.in_memory.resources[1].tag == "Vol.E");
  CHECK(s.in_memory.resources[1].state == "ISP");
  REQUIRE(s.registry_jobs.size() == 1);
  CHECK(s.registry_jobs[0].id == "e829700c-27b0-447f-b852-1a3135da31a7");
  CHECK(s.registry_jobs[0].name == "E Vol");
  // RUNBOOK.md step 5 sample output.
  CHECK(s.registry_jobs[0].endpoints ==
        std::vector<std::string>{"BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A"});
  REQUIRE(s.mirrors.size() == 1);
  CHECK(s.mirrors[0].role == "source");
  CHECK(s.mirrors[0].targets == std::vector<std::string>{"10.200.8.26"});
  CHECK(s.mirrors[0].state == 3);
  CHECK(s.dk_volumes == std::vector<std::string>{"E"});
  CHECK(s.env.at("COMPUTERNAME") == "BENHOGAN2008");
  CHECK(s.env.at("LKROOT") == "C:\\LK");
  CHECK(s.env.at("ExtMirrBase") == "C:\\Program Files\\SIOS\\DataKeeper");
  CHECK(s.env.at("PATH").find("C:\\LK\\Bin") != std::string::npos);
  CHECK(s.cluster_dir == "/cluster");
}

TEST_CASE("the reinstalled node is a fresh install") {
  auto s = state_of(scenario("seed.json"), "GPLAYER2008");
  CHECK(s.reinstalled);
  CHECK(s.in_memory.systems == std::vector<std::string>{"GPLAYER2008"});
  CHECK(s.in_memory.comm_paths.empty());
  CHECK(s.in_memory.resources.empty());
  CHECK(s.in_memory.equivalencies.empty());
  CHECK(s.registry_jobs.empty());
  CHECK(s.mirrors.empty());
  check_disk_matches_memory(s);
}

TEST_CASE("three-node: two networks, and the survivors-only hierarchy") {
  auto sc = scenario("three-node.json");
  auto bravo = state_of(sc, "BRAVO");
  int dead = 0, alive = 0;
  for (const auto& p : bravo.in_memory.comm_paths) {
    CHECK(p.system == "BRAVO");
    (p.othersystem == "CHARLIE" ? dead : alive) += 1;
    CHECK(p.state == (p.othersystem == "CHARLIE" ? "DEAD" : "ALIVE"));
  }
  CHECK(dead == 2);
  CHECK(alive == 2);
  // Vol.H is in service on ALPHA, extended to BRAVO: BRAVO is its mirror target.
  bool found_h = false;
  for (const auto& e : bravo.in_memory.equivalencies) {
    if (e.tag != "Vol.H") continue;
    found_h = true;
    CHECK(e.othersys == "ALPHA");
    CHECK(e.priority == 10);
    CHECK(e.otherpriority == 1);
  }
  CHECK(found_h);
  bool target_h = false;
  for (const auto& m : bravo.mirrors) {
    if (m.volume != "H") continue;
    target_h = true;
    CHECK(m.role == "target");
    CHECK(m.source == "10.1.0.1");
    CHECK(m.targets == std::vector<std::string>{"10.1.0.2"});
    CHECK(m.state == 1);
  }
  CHECK(target_h);
  auto alpha = state_of(sc, "ALPHA");
  for (const auto& m : alpha.mirrors) CHECK(m.state == (m.volume == "H" ? 1 : 3));
}

TEST_CASE("faults and latency of the scenario are armed on their node only") {
  auto s = lab::parse_scenario(R"({"clusters": [{"name": "c", "replaced": "B",
      "nodes": [{"system": "A", "address": "127.1.0.1", "latency_ms": 40},
                {"system": "B", "address": "127.1.0.2"}],
      "faults": [{"node": "A", "command": "lcdsync", "fail": {"rc": 1, "message": "LCD busy"},
                  "times": 1}]}]})",
                               "inline.json");
  auto a = state_of(s, "A");
  REQUIRE(a.faults.size() == 1);
  CHECK(a.faults[0].command == "lcdsync");
  CHECK(a.faults[0].kind == "fail");
  CHECK(a.faults[0].message == "LCD busy");
  CHECK(a.faults[0].times == 1);
  CHECK(a.latency_ms == 40);
  auto b = state_of(s, "B");
  CHECK(b.faults.empty());
  CHECK(b.latency_ms == 0);
}
