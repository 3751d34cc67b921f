#include "tasks/parsers/lifekeeper_lists.h"

#include <catch2/catch.hpp>

#include "tasks/action.h"
#include "tests/unit/tasks/runbook_samples.h"

using namespace lkr;
using namespace lkr::tasks;
using namespace lkr::tasks::test;
using Catch::Matchers::Contains;

TEST_CASE("eqv_list: the runbook's sample, default layout, LF and CRLF", "[tasks][parsers]") {
  // Expected: RUNBOOK §1's field list applied to its two sample lines.
  const std::vector<Equivalency> expected{
      {"BENHOGAN2008", "LK1-BENHOGAN2K8", "GPLAYER2008", "LK1-BENHOGAN2K8", "SHARED", 1, 10},
      {"BENHOGAN2008", "Vol.E", "GPLAYER2008", "Vol.E", "SHARED", 1, 10}};
  CHECK(parse_eqv_list(kEqvListSample, std::nullopt) == expected);
  CHECK(parse_eqv_list(crlf(kEqvListSample), std::nullopt) == expected);
  CHECK(parse_eqv_list(crlf(kEqvListSample) + "\r\n", std::nullopt) == expected);
  CHECK(parse_eqv_list(tabbed(kEqvListSample), '\t') == expected);
}

TEST_CASE("eqv_list -f<TAB>: names with spaces, &, %, quotes and Japanese", "[tasks][parsers]") {
  const std::string line =
      "BEN HOGAN&2008\tVol \"E\" 100%\tGプレーヤー\t^Tag %PATH%\tSHARED\t1\t10\r\n";
  auto eqvs = parse_eqv_list(line, '\t');
  REQUIRE(eqvs.size() == 1);
  CHECK(eqvs[0].system == "BEN HOGAN&2008");
  CHECK(eqvs[0].tag == "Vol \"E\" 100%");
  CHECK(eqvs[0].other_system == "Gプレーヤー");
  CHECK(eqvs[0].other_tag == "^Tag %PATH%");
  CHECK(eqvs[0].priority == 1);
  CHECK(eqvs[0].other_priority == 10);
}

TEST_CASE("eqv_list: empty output is no equivalency", "[tasks][parsers]") {
  CHECK(parse_eqv_list("", '\t').empty());
  CHECK(parse_eqv_list("\r\n", '\t').empty());
}

TEST_CASE("eqv_list: malformed output is refused with the line quoted", "[tasks][parsers]") {
  CHECK_THROWS_WITH(parse_eqv_list("BENHOGAN2008 Vol.E GPLAYER2008 Vol.E SHARED 1\n", std::nullopt),
                    Contains("eqv_list") && Contains("7 fields") &&
                        Contains("BENHOGAN2008 Vol.E GPLAYER2008 Vol.E SHARED 1"));
  CHECK_THROWS_AS(parse_eqv_list("A B C D SHARED one 10\n", std::nullopt), OddOutput);
  // A space-separated line read with the TAB separator has one field.
  CHECK_THROWS_AS(parse_eqv_list(kEqvListSample, '\t'), OddOutput);
  CHECK_THROWS_WITH(parse_eqv_list("A\tB\xff\xfe\tC\tD\tSHARED\t1\t10\n", '\t'),
                    Contains("B\\xFF\\xFE") && Contains("A\\x09"));
  CHECK_THROWS_AS(parse_eqv_list("A\t\tC\tD\tSHARED\t1\t10\n", '\t'), OddOutput);
}

TEST_CASE("sys_list: the runbook's sample", "[tasks][parsers]") {
  const std::vector<std::string> expected{"BENHOGAN2008", "GPLAYER2008"};
  CHECK(parse_sys_list(kSysListSample) == expected);
  CHECK(parse_sys_list(crlf(kSysListSample)) == expected);
  CHECK(parse_sys_list("BEN HOGAN 2008\r\nGプレーヤー\r\n\r\n") ==
        std::vector<std::string>{"BEN HOGAN 2008", "Gプレーヤー"});
  CHECK_THROWS_WITH(parse_sys_list(""), Contains("sys_list") && Contains("no output"));
  CHECK_THROWS_AS(parse_sys_list("BENHOGAN2008\r\n\x01\x02\r\n"), OddOutput);
}

TEST_CASE("net_list: the runbook's assumed example", "[tasks][parsers]") {
  const CommPath expected{"BENHOGAN2008", "GPLAYER2008", "10.200.8.25", "10.200.8.26", "DEAD", 1,
                          "TCP"};
  CHECK(parse_net_list(kNetListSample, std::nullopt) == std::vector<CommPath>{expected});
  CHECK(parse_net_list(crlf(tabbed(kNetListSample)), '\t') == std::vector<CommPath>{expected});
  CHECK_THROWS_WITH(
      parse_net_list("BENHOGAN2008 GPLAYER2008 10.200.8.25 10.200.8.26 DEAD 1\n", std::nullopt),
      Contains("net_list") && Contains("7 fields"));
  CHECK_THROWS_AS(parse_net_list("A B 1.1.1.1 2.2.2.2 DEAD high TCP\n", std::nullopt), OddOutput);
}

TEST_CASE("ins_list: the runbook's assumed example", "[tasks][parsers]") {
  const Resource expected{"filesys", "volume", "Vol.E", "E", "IS-ISP"};
  CHECK(parse_ins_list(kInsListSample, std::nullopt) == std::vector<Resource>{expected});
  CHECK(parse_ins_list(crlf(tabbed(kInsListSample)), '\t') == std::vector<Resource>{expected});
  auto named = parse_ins_list("filesys\tvolume\tData & Logs 50%\tE\tISP\n", '\t');
  REQUIRE(named.size() == 1);
  CHECK(named[0].tag == "Data & Logs 50%");
  CHECK_THROWS_WITH(parse_ins_list("filesys volume Vol.E E IS-ISP extra\n", std::nullopt),
                    Contains("ins_list") && Contains("5 fields"));
}
