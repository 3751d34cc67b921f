#include "tasks/parsers/datakeeper_output.h"

#include <catch2/catch.hpp>

#include "tasks/action.h"
#include "tests/unit/tasks/runbook_samples.h"

using namespace lkr;
using namespace lkr::tasks;
using namespace lkr::tasks::test;
using Catch::Matchers::Contains;

namespace {

// RUNBOOK §5's sample tuple, written out field by field.
MirrorEndpoint sample_tuple() {
  return {"BENHOGAN2008", "E", "10.200.8.25", "GPLAYER2008", "E", "10.200.8.26", "A"};
}

}  // namespace

TEST_CASE("getjobinfoforvol: the runbook's sample, LF and CRLF", "[tasks][parsers]") {
  for (const std::string& text :
       {kJobInfoSample, crlf(kJobInfoSample), crlf(kJobInfoSample) + "\r\n"}) {
    auto jobs = parse_job_info(text);
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0].id == kJobId);
    CHECK(jobs[0].name == "E Vol");
    CHECK(jobs[0].description.empty());
    CHECK(jobs[0].endpoints == std::vector<MirrorEndpoint>{sample_tuple()});
  }
}

TEST_CASE("getjobinfoforvol: no job prints nothing", "[tasks][parsers]") {
  CHECK(parse_job_info("").empty());
  CHECK(parse_job_info("\r\n").empty());
}

TEST_CASE("getjobinfoforvol: a three-node job, both ways of printing its tuples (E7)",
          "[tasks][parsers]") {
  const std::string a = "N0;E;10.0.0.1;N1;E;10.0.0.2;A", b = "N0;E;10.0.0.1;N2;E;10.0.0.3;A",
                    c = "N1;E;10.0.0.2;N2;E;10.0.0.3;A";
  const std::string head = "ID = " + kJobId + "\r\nName = E Vol\r\nDescription =\r\n";
  auto per_line = parse_job_info(head + "MirrorEndPoints = " + a + "\r\nMirrorEndPoints = " + b +
                                 "\r\nMirrorEndPoints = " + c + "\r\n");
  auto one_line = parse_job_info(head + "MirrorEndPoints = " + a + ";" + b + ";" + c + "\r\n");
  REQUIRE(per_line.size() == 1);
  REQUIRE(per_line[0].endpoints.size() == 3);
  CHECK(per_line[0].endpoints[2].source == "N1");
  CHECK(per_line[0].endpoints[2].target == "N2");
  REQUIRE(one_line.size() == 1);
  CHECK(one_line[0].endpoints == per_line[0].endpoints);
}

TEST_CASE("getjobinfoforvol: several jobs, blocks separated by an empty line", "[tasks][parsers]") {
  const std::string second_id = "0a1b2c3d-0000-4111-8222-333344445555";
  const std::string text = crlf(kJobInfoSample) + "\r\n" + "ID = " + second_id +
                           "\r\nName = F & G \"data\" 100%\r\nDescription = 日本語の説明\r\n"
                           "MirrorEndPoints = BENHOGAN2008;F;10.200.8.25;THIRD;F;10.200.9.27;S\r\n";
  auto jobs = parse_job_info(text);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0].id == kJobId);
  CHECK(jobs[1].id == second_id);
  CHECK(jobs[1].name == "F & G \"data\" 100%");
  CHECK(jobs[1].description == "日本語の説明");
  CHECK(jobs[1].endpoints == std::vector<MirrorEndpoint>{{"BENHOGAN2008", "F", "10.200.8.25",
                                                          "THIRD", "F", "10.200.9.27", "S"}});
}

TEST_CASE("endpoints split into 7-field tuples", "[tasks][parsers]") {
  auto two = parse_mirror_endpoints(
      "BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A;"
      "BENHOGAN2008;E;10.200.8.25;THIRD;E;10.200.8.27;S",
      "test");
  REQUIRE(two.size() == 2);
  CHECK(two[1].target == "THIRD");
  CHECK(two[1].mode == "S");
  CHECK_THROWS_WITH(
      parse_mirror_endpoints("BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A;X", "test"),
      Contains("7-field tuples") && Contains(";X"));
  CHECK_THROWS_AS(parse_mirror_endpoints("A;E;1;B;E;2;Q", "test"), OddOutput);
}

TEST_CASE("getjobinfoforvol: malformed output", "[tasks][parsers]") {
  CHECK_THROWS_WITH(parse_job_info("Name = E Vol\n"), Contains("getjobinfoforvol"));
  CHECK_THROWS_WITH(parse_job_info(kJobInfoSample + "garbage here\n"),
                    Contains("\"garbage here\""));
  // An ID that is not a GUID would become a registry path to delete.
  CHECK_THROWS_WITH(parse_job_info("ID = ..\\..\\Jobs\nMirrorEndPoints = A;E;1;B;E;2;A\n"),
                    Contains("GUID"));
  CHECK_THROWS_WITH(parse_job_info("ID = " + kJobId + "\n\xff\xfe\x01\n"),
                    Contains("\\xFF\\xFE\\x01"));
}

TEST_CASE("emcmd Status = N", "[tasks][parsers]") {
  CHECK(parse_emcmd_status("Status = 0\r\n", "deletelocalmirroronly") == 0);
  CHECK(parse_emcmd_status("Status = 15\n", "clearswitchover") == 15);
  CHECK_THROWS_WITH(parse_emcmd_status("", "clearswitchover"),
                    Contains("clearswitchover") && Contains("Status = N") && Contains("no output"));
  CHECK_THROWS_WITH(parse_emcmd_status("Status = zero\n", "clearswitchover"),
                    Contains("Status = zero"));
  CHECK_THROWS_AS(parse_emcmd_status("Access is denied.\r\n", "clearswitchover"), OddOutput);
}

TEST_CASE("getmirrorvolinfo: E10's line and the seed's", "[tasks][parsers]") {
  // E10, verbatim: volume E, role 1 (source), LEX2 at 172.17.103.134, state 1 (mirroring).
  CHECK(parse_mirror_info(kMirrorInfoE10) ==
        std::vector<MirrorLine>{{"E", 1, "LEX2", "172.17.103.134", 1}});
  CHECK(parse_mirror_info(crlf(kMirrorInfoSample)) ==
        std::vector<MirrorLine>{{"E", 1, "GPLAYER2008", "10.200.8.26", 3}});
  // A system name with spaces, a target's role (UNKNOWN: kept as seen), paused (E10: 4).
  auto spaced = parse_mirror_info("F: 2 Node  \"1\" & x 10.0.0.1 4\r\n");
  REQUIRE(spaced.size() == 1);
  CHECK(spaced[0].other_system == "Node  \"1\" & x");
  CHECK(spaced[0].role == 2);
  CHECK(spaced[0].state == 4);
  // Several targets: one line each.
  CHECK(parse_mirror_info("E: 1 A 10.0.0.1 1\nE: 1 B 10.0.0.2 3\n").size() == 2);
}

TEST_CASE("getmirrorvolinfo: no mirror prints nothing or Status = 15 (E12)", "[tasks][parsers]") {
  CHECK(parse_mirror_info("").empty());
  CHECK(parse_mirror_info("Status = 15\r\n").empty());
}

TEST_CASE("getmirrorvolinfo: odd lines are refused", "[tasks][parsers]") {
  // The old assumed "V: source target state" layout.
  CHECK_THROWS_WITH(parse_mirror_info("E: 10.200.8.25 10.200.8.26 1\n"),
                    Contains("getmirrorvolinfo") && Contains("E: 10.200.8.25"));
  CHECK_THROWS_AS(parse_mirror_info("E 1 LEX2 172.17.103.134 1\n"), OddOutput);
  CHECK_THROWS_AS(parse_mirror_info("E: 1 LEX2 172.17.103.134 9\n"), OddOutput);  // E11: 0-5
  CHECK_THROWS_AS(parse_mirror_info("E: 1 LEX2 not-an-ip 1\n"), OddOutput);
  CHECK_THROWS_AS(parse_mirror_info("E: 1 172.17.103.134 1\n"), OddOutput);  // no system
  CHECK_THROWS_AS(parse_mirror_info("Status = 87\n"), OddOutput);
}

TEST_CASE("reg query of the jobs key: Endpoints as REG_MULTI_SZ (E6, E7)", "[tasks][parsers]") {
  auto jobs = parse_registry_jobs(crlf(kRegJobsSample));
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].id == kJobId);
  CHECK(jobs[0].name == "E Vol");
  CHECK(jobs[0].endpoints == std::vector<MirrorEndpoint>{sample_tuple()});
  // Three nodes: every pair, entries separated by reg's "\0".
  auto three = parse_registry_jobs(reg_jobs(kJobId, "K",
                                            "A;K;1.0.0.1;B;K;1.0.0.2;S\\0A;K;1.0.0.1;C;K;1.0.0.3;"
                                            "S\\0B;K;1.0.0.2;C;K;1.0.0.3;S"));
  REQUIRE(three.size() == 1);
  REQUIRE(three[0].endpoints.size() == 3);
  CHECK(three[0].endpoints[2].source == "B");
  CHECK(three[0].endpoints[2].target == "C");
  // No job at all: the key alone.
  CHECK(parse_registry_jobs("\r\n" + kJobsKeyLong + "\r\n\r\n").empty());
  // reg as Wine lays it out: no line for the Jobs key itself, values sorted by name.
  auto wine = parse_registry_jobs("\r\n" + kJobsKeyLong + "\\" + kJobId +
                                  "\r\n    Description    REG_SZ    \r\n    Endpoints    "
                                  "REG_MULTI_SZ    A;E;1.0.0.1;B;E;1.0.0.2;A\r\n    Name    "
                                  "REG_SZ    E Vol\r\n\r\n");
  REQUIRE(wine.size() == 1);
  CHECK(wine[0].name == "E Vol");
  CHECK(wine[0].endpoints.size() == 1);
}

TEST_CASE("reg query of the jobs key: what cannot be placed is refused", "[tasks][parsers]") {
  CHECK_THROWS_WITH(parse_registry_jobs(reg_jobs("not-a-guid", "x", "A;E;1;B;E;2;A")),
                    Contains("GUID"));
  CHECK_THROWS_WITH(
      parse_registry_jobs("\n" + kJobsKeyLong + "\\" + kJobId + "\n    Name    REG_SZ    x\n"),
      Contains("Endpoints"));
  std::string wrong_type = kRegJobsSample;
  wrong_type.replace(wrong_type.find("REG_MULTI_SZ"), 12, "REG_SZ");
  CHECK_THROWS_WITH(parse_registry_jobs(wrong_type), Contains("REG_MULTI_SZ"));
  CHECK_THROWS_AS(parse_registry_jobs(kRegJobsSample + kJobsKeyLong + "\\" + kJobId + "\\Sub\n"),
                  OddOutput);
}
