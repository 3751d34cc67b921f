#include "tasks/node_facts.h"

#include <catch2/catch.hpp>

#include "tests/unit/tasks/fake_node.h"

using namespace lkr;
using namespace lkr::tasks;
using namespace lkr::tasks::test;
using Catch::Matchers::Contains;

TEST_CASE("gather_facts reads the seed survivor", "[tasks][facts]") {
  FakeNode node = seed_survivor();
  NodeFacts f = gather_facts(host_named("BENHOGAN2008"), node.reader());
  CHECK(f.lifekeeper_answers);
  CHECK(f.local_system == "BENHOGAN2008");
  CHECK(f.systems == std::vector<std::string>{"BENHOGAN2008", "GPLAYER2008"});
  REQUIRE(f.equivalencies.size() == 2);
  CHECK(f.equivalencies[1].tag == "Vol.E");
  REQUIRE(f.comm_paths.size() == 1);
  CHECK(f.comm_paths[0].remote_address == "10.200.8.26");
  REQUIRE(f.resources.size() == 2);
  REQUIRE(f.volumes.size() == 1);
  CHECK(f.volumes[0].volume == "E");
  REQUIRE(f.volumes[0].jobs.size() == 1);
  CHECK(f.volumes[0].jobs[0].id == kJobId);
  CHECK(f.volumes[0].mirrors.size() == 1);
  CHECK(f.volumes[0].lkdrinfo_present);
}

TEST_CASE("gather_facts costs 5 round trips plus 3 per volume", "[tasks][facts]") {
  FakeNode node = seed_survivor();
  gather_facts(host_named("BENHOGAN2008"), node.reader());
  CHECK(node.asked.size() == 8);  // counted: hostname sys eqv net ins + E: job mirror probe
  CHECK(node.asked.size() == fact_round_trips(1));
  FakeNode two = seed_survivor();
  two.ins_list += "filesys\tvolume\tVol.F\tF\tISP\n";
  gather_facts(host_named("BENHOGAN2008"), two.reader());
  CHECK(two.asked.size() == 11);
}

TEST_CASE("gather_facts: volumes that are not drive letters are noted, not read",
          "[tasks][facts]") {
  FakeNode node = seed_survivor();
  node.ins_list += "filesys\tvolume\tVol.Mount\tC:\\Mount\\x\tISP\n";
  NodeFacts f = gather_facts(host_named("BENHOGAN2008"), node.reader());
  CHECK(f.volumes.size() == 1);
  REQUIRE(f.notes.size() == 1);
  CHECK_THAT(f.notes[0], Contains("Vol.Mount"));
}

TEST_CASE("gather_facts: LifeKeeper not answering stops after sys_list", "[tasks][facts]") {
  FakeNode node = seed_survivor();
  node.sys_list_exit = 9009;
  NodeFacts f = gather_facts(host_named("BENHOGAN2008"), node.reader());
  CHECK_FALSE(f.lifekeeper_answers);
  CHECK_THAT(f.lifekeeper_problem, Contains("9009") && Contains("not recognized"));
  CHECK(node.asked.size() == 2);
}

TEST_CASE("gather_facts: a failing or odd listing throws OddOutput", "[tasks][facts]") {
  FakeNode node = seed_survivor();
  node.eqv_list = "garbage\n";
  CHECK_THROWS_WITH(gather_facts(host_named("BENHOGAN2008"), node.reader()),
                    Contains("eqv_list") && Contains("garbage"));
  FakeNode dk = seed_survivor();
  dk.job_info["E"] = "ID = " + kJobId + "\nMirrorEndPoints = A;E;1;B;E;2\n";
  CHECK_THROWS_WITH(gather_facts(host_named("BENHOGAN2008"), dk.reader()),
                    Contains("7-field tuples"));
}
