#include <catch2/catch.hpp>

#include "tasks/node_facts.h"
#include "tasks/steps/preflight.h"
#include "tasks/steps/reextension_checklist.h"
#include "tasks/steps/verify.h"
#include "tests/unit/tasks/fake_node.h"

using namespace lkr;
using namespace lkr::tasks;
using namespace lkr::tasks::test;
using Catch::Matchers::Contains;

namespace {

const std::string R = "GPLAYER2008";

std::string j_device(const reextension_checklist::Checklist& c) {
  return reextension_checklist::to_json(c)["comm_paths"][0]["device"];
}

NodeFacts facts_of(const FakeNode& n) { return gather_facts(host_named(n.hostname), n.reader()); }

}  // namespace

TEST_CASE("preflight passes on the seed survivor", "[tasks][preflight]") {
  auto v = preflight::check(facts_of(seed_survivor()), host_named("BENHOGAN2008"), R);
  CHECK(v.ok());
  CHECK_FALSE(v.already_clean);
  // System names compare case-insensitively, as Windows does.
  CHECK(
      preflight::check(facts_of(seed_survivor()), host_named("benhogan2008"), "gplayer2008").ok());
}

TEST_CASE("preflight: an already clean survivor", "[tasks][preflight]") {
  auto v = preflight::check(facts_of(clean_survivor()), host_named("BENHOGAN2008"), R);
  CHECK(v.ok());
  CHECK(v.already_clean);
}

TEST_CASE("preflight refusals", "[tasks][preflight]") {
  SECTION("the node is not the one the inventory names") {
    FakeNode n = seed_survivor();
    n.hostname = "TIGERWOODS";
    auto v = preflight::check(facts_of(n), host_named("BENHOGAN2008"), R);
    REQUIRE(v.refusals.size() == 1);
    CHECK(v.refusals[0] == "inventory says BENHOGAN2008, node says TIGERWOODS");
  }
  SECTION("R is this survivor") {
    auto v =
        preflight::check(facts_of(seed_survivor()), host_named("BENHOGAN2008"), "BENHOGAN2008");
    REQUIRE_FALSE(v.ok());
    CHECK_THAT(v.refusals[0], Contains("own system"));
  }
  SECTION("LifeKeeper does not answer") {
    FakeNode n = seed_survivor();
    n.sys_list_exit = 9009;
    auto v = preflight::check(facts_of(n), host_named("BENHOGAN2008"), R);
    REQUIRE_FALSE(v.ok());
    CHECK_THAT(v.refusals[0], Contains("LifeKeeper does not answer") && Contains("9009"));
  }
}

TEST_CASE("check_replaced_is_fresh", "[tasks][preflight]") {
  CHECK(preflight::check_replaced_is_fresh(facts_of(fresh_replaced()), R).empty());
  // A healthy survivor named by mistake as the replaced node is refused.
  FakeNode healthy = seed_survivor();
  healthy.hostname = R;
  auto problems = preflight::check_replaced_is_fresh(facts_of(healthy), R);
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0], Contains("GPLAYER2008 still holds") && Contains("2 resources") &&
                              Contains("2 equivalencies") && Contains("1 comm paths") &&
                              Contains("1 DataKeeper jobs") &&
                              Contains("this is not a freshly reinstalled node"));
  FakeNode other = fresh_replaced();
  other.hostname = "SOMEONE";
  CHECK_THAT(preflight::check_replaced_is_fresh(facts_of(other), R).at(0),
             Contains("node says SOMEONE"));
}

TEST_CASE("final verify: nothing of R, the rest as before", "[tasks][verify]") {
  NodeFacts before = facts_of(seed_survivor());
  NodeFacts after = facts_of(clean_survivor());
  CHECK(verify::verify(before, after, R).empty());
  CHECK(verify::nothing_remains(after, R).empty());
  // sys_list entry, 2 equivalencies, comm path, job, mirror, LKDRInfo.E
  CHECK(verify::nothing_remains(before, R).size() == 7);
  SECTION("something of R remains") {
    FakeNode left = clean_survivor();
    left.lkdrinfo = {"E"};  // LKDRInfo.E of the volume mirrored with R in the snapshot
    auto problems = verify::verify(before, facts_of(left), R);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "LKDRInfo.E remains");
  }
  SECTION("something that did not refer to R changed") {
    FakeNode touched = clean_survivor();
    touched.ins_list = "comm\tip\tLK1-BENHOGAN2K8\t10.200.8.100\tI\t\tISP\n";  // Vol.E gone
    auto problems = verify::verify(before, facts_of(touched), R);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0], Contains("Vol.E") && Contains("is gone"));
    CHECK(verify::verify(before, facts_of(touched), R, true).empty());  // after a purge
  }
  SECTION("a multi-target mirror deleted with --allow-multitarget-jobs") {
    FakeNode shared = seed_survivor();
    shared.mirror_info["E"] = "E: 1 GPLAYER2008 10.200.8.26 3\nE: 1 THIRD 10.200.8.27 1\n";
    NodeFacts with_third = facts_of(shared);
    // The local end goes whole: its line to the third node too. Only allowed knowingly.
    auto problems = verify::verify(with_third, after, R);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0], Contains("THIRD 10.200.8.27") && Contains("is gone"));
    CHECK(verify::verify(with_third, after, R, false, true).empty());
  }
  SECTION("run-time state is not configuration") {
    FakeNode failed_over = clean_survivor();
    failed_over.ins_list =
        "comm\tip\tLK1-BENHOGAN2K8\t10.200.8.100\tINTELLIGENT\t\tOSU\n"
        "filesys\tvolume\tVol.E\tE:\tINTELLIGENT\t\tOSF\treason\n";
    CHECK(verify::verify(before, facts_of(failed_over), R).empty());
  }
}

TEST_CASE("re-extension checklist from the seed snapshot", "[tasks][checklist]") {
  namespace rc = reextension_checklist;
  rc::Checklist c = rc::build({{"BENHOGAN2008", facts_of(seed_survivor())}}, R);
  // From LAB.md's seed scenario: both resources in service on BENHOGAN2008.
  CHECK(c.hierarchies ==
        std::vector<rc::HierarchyItem>{
            {"LK1-BENHOGAN2K8", "comm", "ip", "10.200.8.100", {"BENHOGAN2008"}, "BENHOGAN2008"},
            {"Vol.E", "filesys", "volume", "E:", {"BENHOGAN2008"}, "BENHOGAN2008"}});
  CHECK(c.comm_paths == std::vector<rc::CommPathItem>{
                            {"BENHOGAN2008", "10.200.8.25", "10.200.8.26", 1, "TCPIP:1500"}});
  CHECK(c.mirrors ==
        std::vector<rc::MirrorItem>{{"E Vol", "E", "BENHOGAN2008", "10.200.8.25", "GPLAYER2008",
                                     "10.200.8.26", "A", kJobId, false}});
  CHECK(j_device(c) == "TCPIP:1500");
  nlohmann::json j = rc::to_json(c);
  CHECK(j["replaced"] == R);
  CHECK(j["mirrors"][0]["target_ip"] == "10.200.8.26");
  CHECK(j["comm_paths"][0]["remoteaddr"] == "10.200.8.26");
  CHECK(j["hierarchies"][1]["in_service_on"] == "BENHOGAN2008");
  bool mentions_mirror = false;
  for (const auto& l : rc::lines(c))
    mentions_mirror = mentions_mirror || l.find("10.200.8.26 mode A (async)") != std::string::npos;
  CHECK(mentions_mirror);
  // The clean survivor has nothing left to list.
  rc::Checklist none = rc::build({{"BENHOGAN2008", facts_of(clean_survivor())}}, R);
  CHECK(none.hierarchies.empty());
  CHECK(none.comm_paths.empty());
  CHECK(none.mirrors.empty());
}

TEST_CASE("preflight: R already removed from sys_list but still referred to is a re-run",
          "[tasks][preflight]") {
  FakeNode partial = clean_survivor();
  partial.net_list = tabbed(kNetListSample);  // sys_remove ran, net_remove did not
  auto v = preflight::check(facts_of(partial), host_named("BENHOGAN2008"), R);
  CHECK(v.ok());
  CHECK_FALSE(v.already_clean);
}

TEST_CASE("preflight refuses when the node's code page turned R's name into '?'s",
          "[unit][preflight]") {
  lkr::Host host;
  host.name = host.system = "SURV1";
  lkr::tasks::NodeFacts f;
  f.lifekeeper_answers = true;
  f.local_system = "SURV1";
  // "LOST NODE ü" printed by a code page 932 console: ü cannot be shown there.
  f.systems = {"SURV1", "LOST NODE ?"};
  auto v = lkr::tasks::preflight::check(f, host, "LOST NODE \xC3\xBC");
  REQUIRE_FALSE(v.ok());
  CHECK(v.refusals[0].find("code page") != std::string::npos);
  // A plain different name is not a lossy form: that node simply does not know R.
  f.systems = {"SURV1", "LOST NODE X"};
  CHECK(lkr::tasks::preflight::check(f, host, "LOST NODE \xC3\xBC").ok());
}

TEST_CASE("preflight refuses names the code page damaged, in any list", "[tasks][preflight]") {
  // A tag of a survivor-only hierarchy printed by a code page 437 console ("データ-01"):
  // nothing of R, yet the cluster is refused before any change.
  FakeNode n = seed_survivor();
  n.ins_list +=
      "filesys\tvolume\t??"
      "?-01\tF:\tINTELLIGENT\t\tISP\n";
  auto v = preflight::check(facts_of(n), host_named("BENHOGAN2008"), R);
  REQUIRE_FALSE(v.ok());
  CHECK_THAT(v.refusals[0], Contains("\"??"
                                     "?-01\"") &&
                                Contains("code page") && Contains("nothing was changed") &&
                                Contains("by hand"));
  // A lone Shift_JIS lead byte the decoder kept as \x81.
  FakeNode lead = seed_survivor();
  lead.sys_list = "BENHOGAN2008\nGPLAYER2008\nNODE\\x81\n";
  CHECK_THAT(preflight::damaged_names(facts_of(lead)),
             Catch::Matchers::VectorContains(std::string("NODE\\x81")));
  CHECK(preflight::damaged_names(facts_of(seed_survivor())).empty());
}

TEST_CASE("three nodes: an all-pairs job is deleted whole and every pair listed (E7)",
          "[tasks][checklist]") {
  namespace rc = reextension_checklist;
  // BRAVO's view: job of volume K with the pairs ALPHA-BRAVO, ALPHA-CHARLIE, BRAVO-CHARLIE.
  FakeNode bravo;
  bravo.hostname = "BRAVO";
  bravo.sys_list = "ALPHA\nBRAVO\nCHARLIE\n";
  bravo.eqv_list =
      tabbed("BRAVO Vol.K ALPHA Vol.K SHARED 10 1\nBRAVO Vol.K CHARLIE Vol.K SHARED 10 10\n");
  bravo.ins_list = "filesys\tvolume\tVol.K\tK:\tINTELLIGENT\t\tOSU\n";
  bravo.reg_jobs = reg_jobs(kJobId, "K Vol",
                            "ALPHA;K;1.0.0.1;BRAVO;K;1.0.0.2;A\\0ALPHA;K;1.0.0.1;CHARLIE;K;1.0.0.3;"
                            "A\\0BRAVO;K;1.0.0.2;CHARLIE;K;1.0.0.3;A");
  bravo.job_info["K"] =
      "ID = " + kJobId + "\nName = K Vol\nDescription =\nMirrorEndPoints = x;K;1;y;K;2;A\n";
  bravo.mirror_info["K"] = "K: 2 ALPHA 1.0.0.1 1\n";
  NodeFacts f = gather_facts(host_named("BRAVO"), bravo.reader());
  rc::Checklist c = rc::build({{"BRAVO", f}}, "CHARLIE");
  REQUIRE(c.mirrors.size() == 3);
  int between = 0;
  for (const auto& m : c.mirrors) between += m.between_survivors ? 1 : 0;
  CHECK(between == 1);  // ALPHA-BRAVO
  bool listed = false;
  for (const auto& l : rc::lines(c))
    listed = listed || l.find("[between survivors] ALPHA") != std::string::npos;
  CHECK(listed);
}
