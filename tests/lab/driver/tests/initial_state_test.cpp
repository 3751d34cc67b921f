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
  CHECK(p.device == "TCPIP:1500");  // E3: the first path of a pair
  CHECK(p.priority == 1);
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
  CHECK(s.mirrors[0].source_system == "BENHOGAN2008");
  CHECK(s.mirrors[0].target_systems == std::vector<std::string>{"GPLAYER2008"});
  CHECK(s.mirrors[0].target_states == std::vector<int>{3});  // broken toward the lost node
  CHECK(s.formats == lab::RecordFormats{});
  CHECK(s.formats.empty_list_rc == 7);
  CHECK(s.dk_volumes == std::vector<std::string>{"E"});
  CHECK(s.env.at("COMPUTERNAME") == "BENHOGAN2008");
  CHECK(s.env.at("LKROOT") == "C:\\LK");
  CHECK(s.env.at("ExtMirrBase") == "C:\\Program Files\\SIOS\\DataKeeper");
  CHECK(s.env.at("LKBIN") == "C:\\LK\\Bin");  // E3
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
  std::vector<std::string> to_charlie;
  for (const auto& p : bravo.in_memory.comm_paths)
    if (p.othersystem == "CHARLIE") to_charlie.push_back(p.device + " " + p.localaddr);
  // E3: TCPIP:1500 for the first path of a pair, TCPIP:1510 for the second.
  CHECK(to_charlie == std::vector<std::string>{"TCPIP:1500 10.1.0.2", "TCPIP:1510 10.2.0.2"});
  CHECK(bravo.env.at("ExtMirrBase") == "C:\\Program Files (x86)\\SIOS\\DataKeeper");  // E9
  CHECK(bravo.extmirrbase == bravo.env.at("ExtMirrBase"));
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
    CHECK(m.source_system == "ALPHA");
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

TEST_CASE("a volume mirrored to two nodes: a job tuple for every pair (E7), two mirrors") {
  auto sc = scenario("three-node-multitarget.json");
  // E6/E7: one tuple per pair among {ALPHA, BRAVO, CHARLIE}, addresses of each pair's
  // first comm path.
  const std::vector<std::string> pairs = {"ALPHA;K;10.1.0.1;BRAVO;K;10.1.0.2;A",
                                          "ALPHA;K;10.1.0.1;CHARLIE;K;10.1.0.3;A",
                                          "BRAVO;K;10.1.0.2;CHARLIE;K;10.1.0.3;A"};
  auto job_k = [](const lab::NodeState& s) {
    for (const auto& j : s.registry_jobs)
      if (j.name == "K Vol") return j.endpoints;
    return std::vector<std::string>{};
  };
  auto alpha = state_of(sc, "ALPHA");
  auto bravo = state_of(sc, "BRAVO");
  CHECK(job_k(alpha) == pairs);
  CHECK(job_k(bravo) == pairs);
  CHECK(state_of(sc, "CHARLIE").registry_jobs.empty());  // reinstalled by default
  for (const auto& m : alpha.mirrors) {
    if (m.volume != "K") continue;
    CHECK(m.role == "source");
    CHECK(m.source == "10.1.0.1");
    CHECK(m.targets == std::vector<std::string>{"10.1.0.2", "10.1.0.3"});
    CHECK(m.target_systems == std::vector<std::string>{"BRAVO", "CHARLIE"});
    CHECK(m.target_states == std::vector<int>{1, 3});
  }
  int k_mirrors = 0;
  for (const auto& m : bravo.mirrors) {
    if (m.volume != "K") continue;
    ++k_mirrors;
    CHECK(m.role == "target");
    CHECK(m.source_system == "ALPHA");
    CHECK(m.source == "10.1.0.1");
    CHECK(m.targets == std::vector<std::string>{"10.1.0.2"});
    CHECK(m.state == 1);
  }
  CHECK(k_mirrors == 1);
  // Single-target jobs keep one tuple.
  for (const auto& j : alpha.registry_jobs)
    if (j.name == "F Vol")
      CHECK(j.endpoints == std::vector<std::string>{"ALPHA;F;10.1.0.1;CHARLIE;F;10.1.0.3;S"});
}

TEST_CASE("a replaced node that says reinstalled: false is a healthy member") {
  auto sc = scenario("healthy-replaced.json");
  auto g = state_of(sc, "GPLAYER2008");
  CHECK_FALSE(g.reinstalled);
  CHECK(g.in_memory.systems == std::vector<std::string>{"BENHOGAN2008", "GPLAYER2008"});
  REQUIRE(g.in_memory.comm_paths.size() == 1);
  CHECK(g.in_memory.comm_paths[0].state == "ALIVE");
  CHECK(g.in_memory.comm_paths[0].othersystem == "BENHOGAN2008");
  CHECK(g.in_memory.comm_paths[0].localaddr == "10.200.8.26");
  REQUIRE(g.in_memory.resources.size() == 2);
  CHECK(g.in_memory.resources[1].state == "OSU");
  REQUIRE(g.in_memory.equivalencies.size() == 2);
  CHECK(eqv_line(g.in_memory.equivalencies[1]) ==
        "GPLAYER2008 Vol.E BENHOGAN2008 Vol.E SHARED 10 1");
  REQUIRE(g.registry_jobs.size() == 1);
  CHECK(g.registry_jobs[0].endpoints ==
        std::vector<std::string>{"BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A"});
  REQUIRE(g.mirrors.size() == 1);
  CHECK(g.mirrors[0].role == "target");
  CHECK(g.mirrors[0].state == 1);
  auto b = state_of(sc, "BENHOGAN2008");
  CHECK(b.in_memory.comm_paths[0].state == "ALIVE");
  CHECK(b.mirrors[0].state == 1);
  CHECK(b.mirrors[0].target_states == std::vector<int>{1});
}

TEST_CASE("variants.json: the record formats, devices, priorities and states it gives") {
  auto sc = scenario("variants.json");
  const auto& a = sc.clusters.at(0);
  auto va1 = lab::initial_node_state(a, *lab::find_node(a, "VA1"), "/cluster");
  CHECK(va1.formats.net_list_layout == "local_first");
  CHECK(va1.formats.empty_list_rc == 0);
  CHECK(va1.formats.mirror_info_none == "empty");
  CHECK(va1.formats.jobinfo_endpoints == "one_line");
  CHECK(va1.formats.ins_list_fields == "seven");
  CHECK(va1.formats.volume_id == "letter");
  std::vector<std::string> to_va3;
  for (const auto& p : va1.in_memory.comm_paths)
    if (p.othersystem == "VA3")
      to_va3.push_back(p.device + " " + std::to_string(p.priority) + " " + p.localaddr);
  // The explicit TCPIP:1510 keeps its device; the other path takes the free TCPIP:1500.
  CHECK(to_va3 == std::vector<std::string>{"TCPIP:1510 2 10.7.0.1", "TCPIP:1500 1 10.8.0.1"});
  auto va2 = lab::initial_node_state(a, *lab::find_node(a, "VA2"), "/cluster");
  CHECK(va2.lkroot == "C:\\Program Files\\SIOS\\LifeKeeper");
  CHECK(va2.env.at("LKBIN") == "C:\\Program Files\\SIOS\\LifeKeeper\\Bin");
  for (const auto& r : va2.in_memory.resources)
    CHECK(r.state == (r.tag == "Vol.N" ? "ISU" : "OSU"));  // the scenario's state where in service
  const auto& b = sc.clusters.at(1);
  auto vb1 = lab::initial_node_state(b, *lab::find_node(b, "VB1"), "/cluster");
  CHECK(vb1.formats.net_list_layout == "status");
  CHECK(vb1.formats.empty_list_rc == 7);
}
