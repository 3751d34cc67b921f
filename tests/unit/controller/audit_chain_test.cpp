// verify_audit_chain: each kind of tampering is found and named by its line.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "controller/audit_trail.h"
#include "controller/audit_verifier.h"
#include "controller/run_lock.h"
#include "tests/unit/controller/audit_test_support.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using lkr::test::read_lines;
using lkr::test::TempLogDir;
using lkr::test::write_lines;

namespace {

// A finished run with `n` note events.
std::filesystem::path finished_run(const TempLogDir& log, int n) {
  lkr::RunStart start;
  start.mode = "check";
  lkr::AuditTrail trail(log.path(), start);
  for (int i = 1; i <= n; ++i) trail.note("c", "h", "step", "event " + std::to_string(i));
  trail.finish(lkr::RunSummary{}, 0);
  return trail.dir();
}

std::vector<std::string> problems_after(const std::filesystem::path& dir,
                                        const std::vector<std::string>& lines) {
  write_lines(dir / "events.jsonl", lines);
  return lkr::verify_audit_chain(dir);
}

std::string edited(const std::string& line) {
  std::string out = line;
  out.replace(out.find("event "), 6, "EVENT ");
  return out;
}

}  // namespace

TEST_CASE("an intact chain has no problems") {
  TempLogDir log;
  CHECK(lkr::verify_audit_chain(finished_run(log, 5)).empty());
}

TEST_CASE("an edited line is named") {
  TempLogDir log;
  auto dir = finished_run(log, 5);
  auto lines = read_lines(dir / "events.jsonl");
  lines[2] = edited(lines[2]);  // line 3
  auto problems = problems_after(dir, lines);
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0], StartsWith("events.jsonl:3: edited"));
}

TEST_CASE("an edited last line is caught by run.json's record") {
  TempLogDir log;
  auto dir = finished_run(log, 5);
  auto lines = read_lines(dir / "events.jsonl");
  lines[4] = edited(lines[4]);
  auto problems = problems_after(dir, lines);
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0], StartsWith("events.jsonl:5: edited"));
}

TEST_CASE("a line made unparsable is named") {
  TempLogDir log;
  auto dir = finished_run(log, 5);
  auto lines = read_lines(dir / "events.jsonl");
  lines[1] = lines[1].substr(0, 20);
  auto problems = problems_after(dir, lines);
  REQUIRE_FALSE(problems.empty());
  CHECK_THAT(problems[0], StartsWith("events.jsonl:2: not an event"));
}

TEST_CASE("deleted lines are named, in the middle, first and at the end") {
  TempLogDir log;
  auto dir = finished_run(log, 6);
  auto lines = read_lines(dir / "events.jsonl");

  auto middle = lines;
  middle.erase(middle.begin() + 2, middle.begin() + 4);  // seq 3 and 4
  auto problems = problems_after(dir, middle);
  REQUIRE(problems.size() == 2);  // the gap, and the count run.json recorded
  CHECK(problems[0] == "events.jsonl:3: seq 5 follows seq 2: 2 line(s) deleted (seq 3..4)");
  CHECK_THAT(problems[1], Contains("has 4 lines, run.json records 6: lines deleted"));

  auto first = lines;
  first.erase(first.begin());
  CHECK_THAT(problems_after(dir, first)[0], StartsWith("events.jsonl:1: seq 2 follows seq 0"));

  auto tail = lines;
  tail.pop_back();
  problems = problems_after(dir, tail);
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0], Contains("has 5 lines, run.json records 6: lines deleted at the end"));
}

TEST_CASE("an inserted line is named") {
  TempLogDir log;
  auto dir = finished_run(log, 5);
  auto lines = read_lines(dir / "events.jsonl");
  lines.insert(lines.begin() + 3, lines[2]);  // a copy of line 3 as line 4
  auto problems = problems_after(dir, lines);
  REQUIRE_FALSE(problems.empty());
  CHECK(problems[0] == "events.jsonl:4: seq 3 already used on line 3: a line was inserted");
}

TEST_CASE("reordered lines are named") {
  TempLogDir log;
  auto dir = finished_run(log, 5);
  auto lines = read_lines(dir / "events.jsonl");
  std::swap(lines[1], lines[3]);  // seq order 1 4 3 2 5
  auto problems = problems_after(dir, lines);
  REQUIRE(problems.size() == 3);
  CHECK(problems[0] ==
        "events.jsonl:2: seq 4 comes before seq 2, found on a later line: a line inserted or "
        "moved here");
  CHECK(problems[1] == "events.jsonl:3: seq 3 comes after seq 4: lines reordered");
  CHECK(problems[2] == "events.jsonl:4: seq 2 comes after seq 4: lines reordered");
}

TEST_CASE("a forged line with an unused seq is named where it was inserted") {
  TempLogDir log;
  auto dir = finished_run(log, 5);
  auto lines = read_lines(dir / "events.jsonl");
  // A whole new event, seq 6 (never used), placed as line 3.
  auto forged = nlohmann::json::parse(lines[1]);
  forged["seq"] = 6;
  forged["message"] = "forged";
  lines.insert(lines.begin() + 2, forged.dump());
  auto problems = problems_after(dir, lines);
  REQUIRE(problems.size() >= 2);
  CHECK_THAT(problems[0], StartsWith("events.jsonl:3: seq 6 comes before seq 3") &&
                              Contains("inserted or moved here"));
  CHECK_THAT(problems.back(), Contains("has 6 lines, run.json records 5"));
}

TEST_CASE("a run killed with SIGKILL leaves only whole, valid lines") {
  TempLogDir log;
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    lkr::RunStart start;
    start.mode = "run";
    lkr::AuditTrail trail(log.path(), start);
    std::string output(3000, 'o');
    for (long n = 0;; ++n) trail.note("c", "h", "step", output + std::to_string(n));
  }
  // Wait until the child has written a good number of lines, then kill it mid-stream.
  std::filesystem::path events;
  while (true) {
    for (const auto& entry : std::filesystem::directory_iterator(log.path()))
      if (std::filesystem::exists(entry.path() / "events.jsonl"))
        events = entry.path() / "events.jsonl";
    if (!events.empty() && std::filesystem::file_size(events) > 3000 * 200) break;
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  auto bytes = lkr::test::read_bytes(events);
  REQUIRE(bytes.back() == '\n');  // no half line: each line went out in one write()
  auto lines = read_lines(events);
  CHECK(lines.size() > 100);  // each line is under 6000 bytes
  for (const auto& line : lines) REQUIRE_NOTHROW(nlohmann::json::parse(line));
  CHECK(lkr::verify_audit_chain(events.parent_path()).empty());
  // Not tampering, but not a whole record either: said apart, with where it ends.
  auto unfinished = lkr::unfinished_run(events.parent_path());
  REQUIRE(unfinished.has_value());
  CHECK_THAT(*unfinished, StartsWith("incomplete: the run never finished (killed or crashed)") &&
                              Contains("ends at seq " + std::to_string(lines.size()) + " (" +
                                       std::to_string(lines.size()) + " lines)"));
}

TEST_CASE("a finished run is not unfinished; a live run is still going") {
  TempLogDir log;
  CHECK_FALSE(lkr::unfinished_run(finished_run(log, 3)).has_value());
  lkr::RunStart start;
  start.mode = "run";
  lkr::AuditTrail trail(log.path(), start);
  lkr::RunLock lock(log.path(), trail.run_id(), {"c"});
  trail.note("c", "h", "step", "working");
  auto unfinished = lkr::unfinished_run(trail.dir());
  REQUIRE(unfinished.has_value());
  CHECK_THAT(*unfinished,
             StartsWith("incomplete: the run is still going (pid " + std::to_string(getpid())) &&
                 Contains("ends at seq 1 (1 lines)"));
}

TEST_CASE("a last line cut mid-write is reported once, as cut") {
  TempLogDir log;
  auto dir = finished_run(log, 3);
  auto bytes = lkr::test::read_bytes(dir / "events.jsonl");
  std::ofstream(dir / "events.jsonl", std::ios::binary | std::ios::trunc)
      << bytes.substr(0, bytes.size() - 30);
  auto problems = lkr::verify_audit_chain(dir);
  REQUIRE(problems.size() == 2);
  CHECK_THAT(problems[0], StartsWith("events.jsonl:3: incomplete last line"));
  CHECK_THAT(problems[1], Contains("differs from run.json's record"));
}
