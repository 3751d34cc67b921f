#include "controller/cli_options.h"

#include <catch2/catch.hpp>

#include "controller/exit_codes.h"
#include "controller/run_summary.h"
#include "tests/unit/controller/parse_words.h"

using namespace lkr;

namespace {

using lkr::test::parse;

}  // namespace

TEST_CASE("cli: -i is repeatable, as in Ansible, and may be left out", "[unit][cli]") {
  auto o = parse({"check", "-i", "a.yml", "--all", "-i", "inventories/"});
  REQUIRE(o);
  CHECK(o->inventory == std::vector<std::string>{"a.yml", "inventories/"});
  auto none = parse({"check", "--all"});  // ANSIBLE_INVENTORY or ansible.cfg, at load time
  REQUIRE(none);
  CHECK(none->inventory.empty());
}

TEST_CASE("cli: the Ansible-style options reach the struct", "[unit][cli]") {
  auto o = parse({"run", "-i", "inv.yml", "--cluster", "a", "--cluster", "b", "-f", "5", "-vv",
                  "--limit", "web*", "--json", "--yes", "--command-timeout", "30"});
  REQUIRE(o);
  CHECK(o->mode == Mode::run);
  CHECK(o->inventory == std::vector<std::string>{"inv.yml"});
  CHECK(o->clusters == std::vector<std::string>{"a", "b"});
  CHECK(o->forks == 5);
  CHECK(o->verbosity == 2);
  CHECK(o->limit == "web*");
  CHECK(o->json);
  CHECK(o->yes);
  CHECK(o->command_timeout_s == 30);
}

TEST_CASE("cli: defaults are the documented ones", "[unit][cli]") {
  auto o = parse({"check", "-i", "inv.yml"});
  REQUIRE(o);
  CHECK(o->forks == 20);
  CHECK(o->log_dir == "./lkrecover-runs");
  CHECK_FALSE(o->yes);
  CHECK_FALSE(o->trust_replaced);
}

TEST_CASE("cli: bad options are refused with a message that says what to do", "[unit][cli]") {
  CHECK_THROWS_AS(parse({}), CliError);
  CHECK_THROWS_WITH(parse({"fix", "-i", "x"}), Catch::Contains("check, run, verify"));
  CHECK_THROWS_WITH(parse({"run", "-i", "x", "--forks", "0"}), Catch::Contains("--forks"));
  CHECK_THROWS_WITH(parse({"run", "-i", "x", "--all", "--cluster", "a"}), Catch::Contains("--all"));
  CHECK_THROWS_WITH(parse({"run", "-i", "x", "--replaced", "R"}), Catch::Contains("--cluster"));
  CHECK_THROWS_WITH(parse({"run", "-i", "x", "--bogus"}), Catch::Contains("--help"));
  CHECK_THROWS_AS(parse({"audit", "check", "dir"}), CliError);
}

TEST_CASE("cli: audit verify takes the run folder", "[unit][cli]") {
  auto o = parse({"audit", "verify", "runs/x"});
  REQUIRE(o);
  CHECK(o->mode == Mode::audit_verify);
  CHECK(o->audit_run_dir == "runs/x");
}

TEST_CASE("exit codes follow Ansible's precedence", "[unit][cli]") {
  RunSummary s;
  ClusterOutcome ok, failed, unreachable;
  ok.status = ClusterStatus::changed;
  failed.status = ClusterStatus::failed;
  unreachable.status = ClusterStatus::unreachable;
  s.clusters = {ok};
  CHECK(s.exit_code() == exit_code::ok);
  s.clusters = {ok, failed};
  CHECK(s.exit_code() == exit_code::host_failed);
  s.clusters = {failed, unreachable};
  CHECK(s.exit_code() == exit_code::unreachable);
  s.interrupted = true;
  CHECK(s.exit_code() == exit_code::interrupted);
}

TEST_CASE("cli: -v counts wherever it is, grouped with other switches too", "[unit][cli]") {
  auto o = parse({"run", "-i", "inv.yml", "-vvv"});
  REQUIRE(o);
  CHECK(o->verbosity == 3);
  o = parse({"run", "-v", "-i", "inv.yml", "--verbose", "-v"});
  REQUIRE(o);
  CHECK(o->verbosity == 3);
  // Grouped with switches that take no value: every v counts, the others still apply.
  o = parse({"run", "-i", "inv.yml", "-yvv"});
  REQUIRE(o);
  CHECK(o->verbosity == 2);
  CHECK(o->yes);
  o = parse({"run", "-i", "inv.yml", "-vkv", "--no-progress"});
  REQUIRE(o);
  CHECK(o->verbosity == 2);
  CHECK(o->ask_pass);
  CHECK(o->no_progress);
  o = parse({"run", "-i", "inv.yml"});
  REQUIRE(o);
  CHECK(o->verbosity == 0);
  CHECK_FALSE(o->no_progress);
}
