#include "tasks/parsers/datakeeper_output.h"

#include <catch2/catch.hpp>

#include "tasks/action.h"
#include "tests/unit/tasks/runbook_samples.h"

using namespace lkr;
using namespace lkr::tasks;
using namespace lkr::tasks::test;
using Catch::Matchers::Contains;

namespace {

// RUNBOOK §5's sample job, written out field by field.
Job sample_job() {
  return Job{
      kJobId,
      "E Vol",
      "",
      {MirrorEndpoint{"BENHOGAN2008", "E", "10.200.8.25", "GPLAYER2008", "E", "10.200.8.26", "A"}}};
}

}  // namespace

TEST_CASE("getjobinfoforvol: the runbook's sample, LF and CRLF", "[tasks][parsers]") {
  CHECK(parse_job_info(kJobInfoSample) == std::vector<Job>{sample_job()});
  CHECK(parse_job_info(crlf(kJobInfoSample)) == std::vector<Job>{sample_job()});
  CHECK(parse_job_info(crlf(kJobInfoSample) + "\r\n") == std::vector<Job>{sample_job()});
}

TEST_CASE("getjobinfoforvol: no job prints nothing", "[tasks][parsers]") {
  CHECK(parse_job_info("").empty());
  CHECK(parse_job_info("\r\n").empty());
}

TEST_CASE("getjobinfoforvol: several jobs, blocks separated by an empty line", "[tasks][parsers]") {
  const std::string second_id = "0a1b2c3d-0000-4111-8222-333344445555";
  const std::string text = crlf(kJobInfoSample) + "\r\n" + "ID = " + second_id +
                           "\r\nName = F & G \"data\" 100%\r\nDescription = 日本語の説明\r\n"
                           "MirrorEndPoints = BENHOGAN2008;F;10.200.8.25;THIRD;F;10.200.9.27;S\r\n";
  auto jobs = parse_job_info(text);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0] == sample_job());
  CHECK(jobs[1].id == second_id);
  CHECK(jobs[1].name == "F & G \"data\" 100%");
  CHECK(jobs[1].description == "日本語の説明");
  CHECK(jobs[1].endpoints == std::vector<MirrorEndpoint>{{"BENHOGAN2008", "F", "10.200.8.25",
                                                          "THIRD", "F", "10.200.9.27", "S"}});
}

TEST_CASE("getjobinfoforvol: endpoints split into 7-field tuples", "[tasks][parsers]") {
  auto two = parse_mirror_endpoints(
      "BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A;"
      "BENHOGAN2008;E;10.200.8.25;THIRD;E;10.200.8.27;S");
  REQUIRE(two.size() == 2);
  CHECK(two[1].target == "THIRD");
  CHECK(two[1].mode == "S");
  CHECK_THROWS_WITH(
      parse_mirror_endpoints("BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A;X"),
      Contains("7-field tuples") && Contains(";X"));
  CHECK_THROWS_AS(parse_mirror_endpoints("A;E;1;B;E;2;Q"), OddOutput);  // type neither A nor S
}

TEST_CASE("getjobinfoforvol: malformed output", "[tasks][parsers]") {
  // A block that does not start with ID.
  CHECK_THROWS_WITH(parse_job_info("Name = E Vol\n"), Contains("getjobinfoforvol"));
  // A line that is not "Key = value".
  CHECK_THROWS_WITH(parse_job_info(kJobInfoSample + "garbage here\n"),
                    Contains("\"garbage here\""));
  // A job without MirrorEndPoints.
  CHECK_THROWS_WITH(parse_job_info("ID = " + kJobId + "\nName = E Vol\n"),
                    Contains("MirrorEndPoints"));
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

TEST_CASE("getmirrorvolinfo: assumed 'V: source target state' lines", "[tasks][parsers]") {
  CHECK(parse_mirror_info("E: 10.200.8.25 10.200.8.26 1\r\n") ==
        std::vector<MirrorLine>{{"E", "10.200.8.25", "10.200.8.26", "1"}});
  CHECK(parse_mirror_info("").empty());
  CHECK_THROWS_WITH(parse_mirror_info("E 10.200.8.25 10.200.8.26 1\n"),
                    Contains("getmirrorvolinfo") && Contains("E 10.200.8.25"));
  CHECK_THROWS_AS(parse_mirror_info("E: 10.200.8.25 10.200.8.26\n"), OddOutput);
}
