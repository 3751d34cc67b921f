#include "controller/audit_trail.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "controller/audit_verifier.h"
#include "controller/run_id.h"
#include "inventory/file_digest.h"
#include "tests/unit/controller/audit_test_support.h"

using lkr::test::read_lines;
using lkr::test::TempLogDir;
using lkr::test::validate_json;
using Json = nlohmann::json;

namespace {

lkr::RunStart sample_start() {
  lkr::RunStart start;
  start.argv = {"lkrecover", "run", "-i", "inv.yml", "--cluster", "sql-prod"};
  start.inventory_path = "inv.yml";
  start.inventory_sha256 = lkr::sha256_hex("inventory bytes");
  start.mode = "run";
  lkr::ClusterOutcome c;
  c.name = "sql-prod";
  c.replaced = "GPLAYER2008";
  start.clusters = {c};
  return start;
}

lkr::CommandEvent sample_command(const std::string& host, int n) {
  lkr::CommandEvent e;
  e.cluster = "sql-prod";
  e.host = host;
  e.step = "facts";
  e.command = "lcdstatus -q -d " + host + " #" + std::to_string(n);
  e.start = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'000'000'000'000));
  e.end = e.start + std::chrono::milliseconds(1234);
  e.exit_code = 0;
  e.stdout_text = "MACHINE  NETWORK ADDRESSES/DEVICE    STATE   PRIO\n";
  e.status = lkr::StepStatus::ok;
  return e;
}

Json parse_strict(const std::string& line) { return Json::parse(line); }  // throws on bad UTF-8

}  // namespace

TEST_CASE("run ids and timestamps have the documented shapes") {
  CHECK(std::regex_match(lkr::new_run_id(), std::regex("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}")));
  // 10^9 s after the epoch is 2001-09-09T01:46:40Z (a well-known value).
  auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'000'000'000'005));
  CHECK(lkr::iso8601_utc_ms(t) == "2001-09-09T01:46:40.005Z");
}

TEST_CASE("run.json is written at start, running, and validates against its schema") {
  TempLogDir log;
  lkr::AuditTrail trail(log.path(), sample_start());
  CHECK(trail.dir() == log.path() / trail.run_id());
  CHECK(std::filesystem::is_directory(trail.dir() / "snapshots"));
  auto run = Json::parse(lkr::test::read_bytes(trail.dir() / "run.json"));
  CHECK(run["status"] == "running");
  CHECK(run["run_id"] == trail.run_id());
  CHECK(run["finished"].is_null());
  CHECK(run["clusters"][0]["name"] == "sql-prod");
  CHECK(run["clusters"][0]["status"] == "pending");
  CHECK(run["inventory"]["sha256"] == lkr::sha256_hex("inventory bytes"));
  CHECK(validate_json("run.schema.json", trail.dir() / "run.json") == 0);
}

TEST_CASE("events.jsonl and the final run.json validate against their schemas") {
  TempLogDir log;
  lkr::AuditTrail trail(log.path(), sample_start());
  trail.phase("sql-prod", "preflight", lkr::PhaseEdge::start, "");
  trail.command(sample_command("BENHOGAN2008", 1));
  auto no_exit = sample_command("BENHOGAN2008", 2);
  no_exit.exit_code.reset();
  no_exit.status = lkr::StepStatus::failed;
  no_exit.message = "connection lost";
  no_exit.truncated = true;
  trail.command(no_exit);
  trail.note("sql-prod", "", "refused", "preflight failed on BENHOGAN2008");
  trail.write_snapshot("sql-prod", "BENHOGAN2008", "lcdstatus.txt", "state\n");
  trail.phase("sql-prod", "preflight", lkr::PhaseEdge::end, "failed");

  lkr::RunSummary summary;
  lkr::ClusterOutcome c = sample_start().clusters[0];
  c.status = lkr::ClusterStatus::failed;
  c.failed_step = "preflight";
  c.failed_host = "BENHOGAN2008";
  c.reason = "connection lost";
  c.hosts["BENHOGAN2008"].ok = 1;
  c.hosts["BENHOGAN2008"].failed = 1;
  summary.clusters = {c};
  trail.finish(summary, 2);

  auto lines = read_lines(trail.dir() / "events.jsonl");
  REQUIRE(lines.size() == 6);
  auto first_command = parse_strict(lines[1]);
  CHECK(first_command["type"] == "command");
  CHECK(first_command["seq"] == 2);
  CHECK(first_command["start"] == "2001-09-09T01:46:40.000Z");
  CHECK(first_command["end"] == "2001-09-09T01:46:41.234Z");
  CHECK(first_command["duration_ms"] == 1234);
  CHECK(first_command["exit_code"] == 0);
  CHECK(first_command["prev_sha256"] == lkr::sha256_hex(lines[0]));
  CHECK(parse_strict(lines[0])["prev_sha256"] == std::string(64, '0'));
  auto second_command = parse_strict(lines[2]);
  CHECK(second_command["exit_code"].is_null());
  CHECK(second_command["truncated"] == true);
  CHECK(second_command["message"] == "connection lost");

  auto run = Json::parse(lkr::test::read_bytes(trail.dir() / "run.json"));
  CHECK(run["status"] == "finished");
  CHECK(run["exit_code"] == 2);
  CHECK(run["clusters"][0]["hosts"]["BENHOGAN2008"]["status"] == "failed");
  CHECK(run["totals"]["ok"] == 1);
  CHECK(run["totals"]["failed"] == 1);
  CHECK(run["events"]["count"] == 6);
  CHECK(run["events"]["last_sha256"] == lkr::sha256_hex(lines.back()));

  CHECK(validate_json("events.schema.json", trail.dir() / "events.jsonl") == 0);
  CHECK(validate_json("run.schema.json", trail.dir() / "run.json") == 0);
  CHECK(lkr::verify_audit_chain(trail.dir()).empty());
}

TEST_CASE("validate-json rejects what breaks the schema (so a pass above means something)") {
  TempLogDir log;
  lkr::AuditTrail trail(log.path(), sample_start());
  trail.command(sample_command("N1", 1));
  auto lines = read_lines(trail.dir() / "events.jsonl");
  auto event = parse_strict(lines[0]);
  event["status"] = "fine";  // not a status
  lkr::test::write_lines(log.path() / "bad.jsonl", {event.dump()});
  CHECK(validate_json("events.schema.json", log.path() / "bad.jsonl") == 1);
  auto run = Json::parse(lkr::test::read_bytes(trail.dir() / "run.json"));
  run.erase("operator");
  lkr::test::write_bytes(log.path() / "bad.json", run.dump());
  CHECK(validate_json("run.schema.json", log.path() / "bad.json") == 1);
}

TEST_CASE("invalid UTF-8 in a node's output never reaches the file") {
  TempLogDir log;
  lkr::AuditTrail trail(log.path(), sample_start());
  auto e = sample_command("N1", 1);
  e.stdout_text = std::string("caf\xe9 \xff\xfe end", 11);  // CP1252 bytes, not UTF-8
  e.stderr_text = "\xc3";                                   // cut in the middle of a character
  trail.command(e);
  auto lines = read_lines(trail.dir() / "events.jsonl");
  REQUIRE(lines.size() == 1);
  auto event = parse_strict(lines[0]);
  CHECK(event["stdout"] == "caf\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd end");  // U+FFFD each
  CHECK(event["stderr"] == "\xef\xbf\xbd");
  CHECK(validate_json("events.schema.json", trail.dir() / "events.jsonl") == 0);
}

TEST_CASE("8 threads writing at once produce whole, ordered, chained lines") {
  TempLogDir log;
  lkr::AuditTrail trail(log.path(), sample_start());
  constexpr int kThreads = 8, kEach = 250;
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t)
    writers.emplace_back([&trail, t] {
      for (int n = 0; n < kEach; ++n) {
        auto e = sample_command("host-" + std::to_string(t), n);
        e.stdout_text = std::string(static_cast<size_t>(100 + n * 37 % 5000), 'x');
        trail.command(e);
      }
    });
  for (auto& w : writers) w.join();

  auto lines = read_lines(trail.dir() / "events.jsonl");
  REQUIRE(lines.size() == kThreads * kEach);
  std::map<std::string, std::set<std::string>> commands_by_host;
  for (size_t i = 0; i < lines.size(); ++i) {
    auto event = parse_strict(lines[i]);
    REQUIRE(event["seq"] == i + 1);
    commands_by_host[event["host"]].insert(event["command"].get<std::string>());
  }
  REQUIRE(commands_by_host.size() == kThreads);
  for (const auto& [host, commands] : commands_by_host) CHECK(commands.size() == kEach);
  CHECK(lkr::verify_audit_chain(trail.dir()).empty());
}
