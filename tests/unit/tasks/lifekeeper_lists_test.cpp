#include "tasks/parsers/lifekeeper_lists.h"

#include <catch2/catch.hpp>

#include "tasks/action.h"
#include "tests/unit/tasks/runbook_samples.h"

using namespace lkr;
using namespace lkr::tasks;
using namespace lkr::tasks::test;
using Catch::Matchers::Contains;

namespace {

std::vector<Equivalency> runbook_equivalencies() {
  // RUNBOOK §1's field list applied to its two sample lines.
  return {{"BENHOGAN2008", "LK1-BENHOGAN2K8", "GPLAYER2008", "LK1-BENHOGAN2K8", "SHARED", 1, 10},
          {"BENHOGAN2008", "Vol.E", "GPLAYER2008", "Vol.E", "SHARED", 1, 10}};
}

CommPath seed_path() {
  CommPath p;
  p.system = "BENHOGAN2008";
  p.other_system = "GPLAYER2008";
  p.local_address = "10.200.8.25";
  p.remote_address = "10.200.8.26";
  p.device = "TCPIP:1500";
  p.state = "DEAD";
  p.priority = 1;
  return p;
}

}  // namespace

TEST_CASE("eqv_list: -f<TAB> and the default Ctrl-A (E1, E2), LF and CRLF", "[tasks][parsers]") {
  CHECK(parse_eqv_list(tabbed(kEqvListSample), '\t') == runbook_equivalencies());
  CHECK(parse_eqv_list(crlf(tabbed(kEqvListSample)) + "\r\n", '\t') == runbook_equivalencies());
  // A -f the tool ignored: the lines come with Ctrl-A.
  CHECK(parse_eqv_list(crlf(ctrl_a(kEqvListSample)), '\t') == runbook_equivalencies());
}

TEST_CASE("eqv_list: names with spaces, &, %, quotes and Japanese", "[tasks][parsers]") {
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
  // Under Ctrl-A a name may hold a TAB-free space run as it is.
  auto spaced = parse_eqv_list(
      "A  B\x01T 1\x01"
      "C\x01T 2\x01SHARED\x01"
      "1\x01"
      "10\r\n",
      '\t');
  REQUIRE(spaced.size() == 1);
  CHECK(spaced[0].system == "A  B");
}

TEST_CASE("eqv_list: empty output is no equivalency", "[tasks][parsers]") {
  CHECK(parse_eqv_list("", '\t').empty());
  CHECK(parse_eqv_list("\r\n", '\t').empty());
}

TEST_CASE("eqv_list: malformed output is refused with the line quoted", "[tasks][parsers]") {
  CHECK_THROWS_WITH(parse_eqv_list("A\tB\tC\tD\tSHARED\t1\n", '\t'),
                    Contains("eqv_list") && Contains("7 fields") && Contains("A\\x09B"));
  CHECK_THROWS_AS(parse_eqv_list("A\tB\tC\tD\tSHARED\tone\t10\n", '\t'), OddOutput);
  // The knowledge-base page's spaces: one field under either separator.
  CHECK_THROWS_AS(parse_eqv_list(kEqvListSample, '\t'), OddOutput);
  CHECK_THROWS_WITH(parse_eqv_list("A\tB\xff\xfe\tC\tD\tSHARED\t1\t10\n", '\t'),
                    Contains("B\\xFF\\xFE"));
  CHECK_THROWS_AS(parse_eqv_list("A\t\tC\tD\tSHARED\t1\t10\n", '\t'), OddOutput);
  try {
    parse_eqv_list("ok\tline\n", '\t');
    FAIL("no throw");
  } catch (const OddOutput& e) {
    CHECK(e.line == "ok\tline");  // the raw line, for `lkrecover facts`
  }
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

TEST_CASE("net_list: the other_first layout (E1, E3, E5)", "[tasks][parsers]") {
  CommPath expected = seed_path();
  auto paths = parse_net_list(crlf(tabbed(kNetListSample)), '\t', "BENHOGAN2008");
  REQUIRE(paths.size() == 1);
  expected.line = paths[0].line;
  CHECK(paths[0] == expected);
  CHECK(paths[0].line == tabbed("GPLAYER2008 10.200.8.25/10.200.8.26 TCPIP:1500 DEAD 1"));
  auto defaulted = parse_net_list(ctrl_a(kNetListSample), '\t', "BENHOGAN2008");
  REQUIRE(defaulted.size() == 1);
  CHECK(defaulted[0].device == "TCPIP:1500");
  // Fields after the priority are kept out of the way, not refused.
  auto more = parse_net_list("G\t1.1.1.1/2.2.2.2\tTCPIP:1510\tALIVE\t2\tTLI\t9600\n", '\t', "S");
  REQUIRE(more.size() == 1);
  CHECK(more[0].device == "TCPIP:1510");
  CHECK(more[0].priority == 2);
}

TEST_CASE("net_list: the local_first layout", "[tasks][parsers]") {
  auto paths =
      parse_net_list(tabbed("BENHOGAN2008 GPLAYER2008 10.200.8.25/10.200.8.26 TCPIP:1500 DEAD 1\n"),
                     '\t', "benhogan2008");
  REQUIRE(paths.size() == 1);
  CHECK(paths[0].other_system == "GPLAYER2008");
  CHECK(paths[0].system == "BENHOGAN2008");
  CHECK(paths[0].device == "TCPIP:1500");
  CHECK(paths[0].local_address == "10.200.8.25");
}

TEST_CASE("net_list: E5's status layout has no device", "[tasks][parsers]") {
  auto paths =
      parse_net_list(tabbed("LAB30 TCP 172.17.107.105/172.17.107.104 ALIVE 1\n"), '\t', "LAB31");
  REQUIRE(paths.size() == 1);
  CHECK(paths[0].other_system == "LAB30");
  CHECK(paths[0].device.empty());
  CHECK(paths[0].remote_address == "172.17.107.104");
}

TEST_CASE("net_list: lines no layout explains are refused", "[tasks][parsers]") {
  // The old assumed 7-field layout (no local/remote pair).
  CHECK_THROWS_WITH(
      parse_net_list(tabbed("BENHOGAN2008 GPLAYER2008 10.200.8.25 10.200.8.26 DEAD 1 TCP\n"), '\t',
                     "BENHOGAN2008"),
      Contains("net_list") && Contains("local/remote"));
  // An unknown state, a priority that is no number, a shared-disk path with no address.
  CHECK_THROWS_AS(parse_net_list("G\t1.1.1.1/2.2.2.2\tTCPIP:1500\tWEIRD\t1\n", '\t', "S"),
                  OddOutput);
  CHECK_THROWS_AS(parse_net_list("G\t1.1.1.1/2.2.2.2\tTCPIP:1500\tALIVE\thigh\n", '\t', "S"),
                  OddOutput);
  CHECK_THROWS_AS(parse_net_list("G\tDISK\t/dev/sdb\tALIVE\t1\n", '\t', "S"), OddOutput);
  // local_first naming another system first is not this node's database.
  CHECK_THROWS_AS(
      parse_net_list(tabbed("OTHER GPLAYER2008 10.200.8.25/10.200.8.26 TCPIP:1500 DEAD 1\n"), '\t',
                     "BENHOGAN2008"),
      OddOutput);
}

TEST_CASE("ins_list: seven fields and more (E2, E8)", "[tasks][parsers]") {
  auto resources = parse_ins_list(crlf(separated(kInsListSample, '|', '\t')), '\t');
  REQUIRE(resources.size() == 2);
  const Resource volume{
      "filesys",     "volume",        "Vol.E", "E:",
      "INTELLIGENT", "E: DataKeeper", "ISP",   {"restore action has succeeded", "AUTORES_ISP"}};
  CHECK(resources[1] == volume);
  CHECK(resources[0].info == "10.200.8.100 255.255.255.0");
  // Exactly seven, under Ctrl-A, every state of LCDI.
  for (const char* state : {"ISP", "ISU", "OSU", "OSF"}) {
    auto r = parse_ins_list(std::string("filesys\x01volume\x01") + "Data & Logs 50%\x01" +
                                "F:\x01INTELLIGENT\x01\x01" + state + "\n",
                            '\t');
    REQUIRE(r.size() == 1);
    CHECK(r[0].tag == "Data & Logs 50%");
    CHECK(r[0].state == state);
    CHECK(r[0].more.empty());
  }
}

TEST_CASE("ins_list: the old assumed layout and odd states are refused", "[tasks][parsers]") {
  CHECK_THROWS_WITH(parse_ins_list("filesys\tvolume\tVol.E\tE\tIS-ISP\n", '\t'),
                    Contains("ins_list") && Contains("at least 7 fields"));
  CHECK_THROWS_WITH(parse_ins_list("filesys\tvolume\tVol.E\tE:\tINTELLIGENT\tinfo\tIS-ISP\n", '\t'),
                    Contains("ISP, ISU, OSU or OSF") && Contains("IS-ISP"));
  CHECK_THROWS_AS(parse_ins_list("filesys\tvolume\t\tE:\tINTELLIGENT\tinfo\tISP\n", '\t'),
                  OddOutput);
}
