#include "tasks/node_facts.h"

#include <catch2/catch.hpp>
#include <set>

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
  CHECK(f.lifekeeper_name == "BENHOGAN2008");
  CHECK(f.systems == std::vector<std::string>{"BENHOGAN2008", "GPLAYER2008"});
  REQUIRE(f.equivalencies.size() == 2);
  CHECK(f.equivalencies[1].tag == "Vol.E");
  REQUIRE(f.comm_paths.size() == 1);
  CHECK(f.comm_paths[0].remote_address == "10.200.8.26");
  CHECK(f.comm_paths[0].device == "TCPIP:1500");
  REQUIRE(f.resources.size() == 2);
  REQUIRE(f.volumes.size() == 1);
  CHECK(f.volumes[0].volume == "E");  // ins_list's id "E:" (E8)
  REQUIRE(f.volumes[0].jobs.size() == 1);
  CHECK(f.volumes[0].jobs[0].id == kJobId);
  CHECK(f.volumes[0].jobs[0].endpoints.size() == 1);
  REQUIRE(f.volumes[0].mirrors.size() == 1);
  CHECK(f.volumes[0].mirrors[0].other_system == "GPLAYER2008");
  CHECK(f.volumes[0].lkdrinfo_present);
}

TEST_CASE("every read of the facts names its record, one file per read", "[tasks][facts]") {
  FakeNode node = seed_survivor();
  std::vector<Command> asked;
  ReadFn base = node.reader();
  gather_facts(host_named("BENHOGAN2008"), [&](const std::string& step, const Command& c) {
    asked.push_back(c);
    return base(step, c);
  });
  REQUIRE(asked.size() == fact_commands(1));
  std::set<std::string> records;
  for (const auto& c : asked) {
    INFO(c.program);
    CHECK_FALSE(c.record.empty());
    // A folder the product names, then a file: never a path or flag of the command line.
    auto slash = c.record.find('/');
    REQUIRE(slash != std::string::npos);
    CHECK(c.record.find('\\') == std::string::npos);
    CHECK(c.record.find(" -f") == std::string::npos);
    records.insert(c.record);
  }
  CHECK(records.size() == asked.size());  // no read overwrites another's snapshot
  CHECK(records.count("equivalencies/eqv_list.txt") == 1);
  CHECK(records.count("datakeeper/volume-E-mirrors.txt") == 1);  // "E:" and "E": the letter
}

TEST_CASE("gather_facts reads 6 commands plus 3 per volume", "[tasks][facts]") {
  FakeNode node = seed_survivor();
  gather_facts(host_named("BENHOGAN2008"), node.reader());
  CHECK(node.asked.size() == 9);  // hostname sys eqv net ins reg + E: job mirror probe
  CHECK(node.asked.size() == fact_commands(1));
  FakeNode two = seed_survivor();
  two.ins_list += "filesys\tvolume\tVol.F\tF:\tINTELLIGENT\t\tOSU\n";
  gather_facts(host_named("BENHOGAN2008"), two.reader());
  CHECK(two.asked.size() == 12);
}

TEST_CASE("gather_facts: a volume id that is no drive refuses the node", "[tasks][facts]") {
  FakeNode node = seed_survivor();
  node.ins_list += "filesys\tvolume\tVol.Mount\tC:\\Mount\\x\tINTELLIGENT\t\tISP\n";
  CHECK_THROWS_WITH(gather_facts(host_named("BENHOGAN2008"), node.reader()),
                    Contains("Vol.Mount") && Contains("C:\\Mount\\x") && Contains("not a drive"));
}

TEST_CASE("gather_facts: a job only the registry knows of is read too", "[tasks][facts]") {
  // No volume resource for E: the registry's job still names E on this node.
  FakeNode node = seed_survivor();
  node.ins_list = "comm\tip\tLK1-BENHOGAN2K8\t10.200.8.100\tINTELLIGENT\t\tISP\n";
  node.eqv_list = tabbed("BENHOGAN2008 LK1-BENHOGAN2K8 GPLAYER2008 LK1-BENHOGAN2K8 SHARED 1 10\n");
  NodeFacts f = gather_facts(host_named("BENHOGAN2008"), node.reader());
  REQUIRE(f.volumes.size() == 1);
  CHECK(f.volumes[0].volume == "E");
  CHECK(f.volumes[0].jobs.size() == 1);
}

TEST_CASE("gather_facts: registry and getjobinfoforvol must agree", "[tasks][facts]") {
  FakeNode unlisted = seed_survivor();
  unlisted.job_info.clear();
  CHECK_THROWS_WITH(gather_facts(host_named("BENHOGAN2008"), unlisted.reader()),
                    Contains(kJobId) && Contains("does not list it"));
  FakeNode no_key = seed_survivor();
  no_key.reg_jobs = "";
  CHECK_THROWS_WITH(gather_facts(host_named("BENHOGAN2008"), no_key.reader()),
                    Contains(kJobId) && Contains("no registry key"));
}

TEST_CASE("gather_facts: ins_list fields in another order are caught", "[tasks][facts]") {
  // tag and app swapped: eqv_list's tags are then nowhere in field 3.
  FakeNode node = seed_survivor();
  node.ins_list =
      "LK1-BENHOGAN2K8\tip\tcomm\t10.200.8.100\tINTELLIGENT\t\tISP\n"
      "Vol.E\tvolume\tfilesys\tE:\tINTELLIGENT\t\tISP\n";
  CHECK_THROWS_WITH(gather_facts(host_named("BENHOGAN2008"), node.reader()),
                    Contains("ins_list") && Contains("LK1-BENHOGAN2K8") && Contains("field 3"));
}

TEST_CASE("gather_facts: an empty list may exit 7 (E13), with no output only", "[tasks][facts]") {
  FakeNode node = clean_survivor();
  node.empty_list_exit = 7;
  NodeFacts f = gather_facts(host_named("BENHOGAN2008"), node.reader());
  CHECK(f.equivalencies.empty());
  CHECK(f.comm_paths.empty());
  REQUIRE(f.notes.size() == 2);
  CHECK_THAT(f.notes[0], Contains("eqv_list") && Contains("exited 7"));
  FakeNode odd = seed_survivor();
  odd.empty_list_exit = 3;
  odd.eqv_list = "";
  CHECK_THROWS_WITH(gather_facts(host_named("BENHOGAN2008"), odd.reader()),
                    Contains("eqv_list failed with exit code 3"));
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

TEST_CASE("gather_facts with an observer: every command judged, the rest still read",
          "[tasks][facts]") {
  FakeNode node = seed_survivor();
  node.net_list = "GPLAYER2008\tsomething odd\n";
  std::vector<FactsVerdict> verdicts;
  NodeFacts f = gather_facts(host_named("BENHOGAN2008"), node.reader(),
                             [&](const FactsVerdict& v) { verdicts.push_back(v); });
  CHECK(f.comm_paths.empty());
  CHECK(f.volumes.size() == 1);  // read after the odd net_list
  int odd = 0;
  for (const auto& v : verdicts) {
    if (v.problem.empty()) continue;
    ++odd;
    CHECK(v.what == "net_list");
    CHECK(v.raw_line == "GPLAYER2008\tsomething odd");
  }
  CHECK(odd == 1);
  CHECK(verdicts.size() == fact_commands(1));
}
