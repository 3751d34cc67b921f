// The command line as an Ansible user meets it: each subcommand's own help, options before
// or after the command, a near miss named, Ansible's habits answered, `exec`'s words.
#include <catch2/catch.hpp>
#include <iostream>
#include <sstream>

#include "controller/cli_options.h"
#include "tests/unit/controller/parse_words.h"

using namespace lkr;

namespace {

using lkr::test::parse;

// What parse_cli printed on stdout (help, version), and that it asked to stop there.
std::string printed(std::vector<std::string> words) {
  std::ostringstream out;
  auto* old = std::cout.rdbuf(out.rdbuf());
  std::optional<CliOptions> o;
  try {
    o = parse(std::move(words));
  } catch (...) {
    std::cout.rdbuf(old);
    throw;
  }
  std::cout.rdbuf(old);
  CHECK_FALSE(o);
  return out.str();
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("cli: each subcommand's --help shows its own synopsis and options", "[unit][cli]") {
  std::string run = printed({"run", "--help"});
  CHECK(run.starts_with("Usage: lkrecover run "));
  CHECK(has(run, "--yes"));
  CHECK(has(run, "--purge-resources"));
  CHECK(has(run, "Example:\n  lkrecover run "));
  CHECK_FALSE(has(run, "--raw"));        // facts only
  CHECK_FALSE(has(run, "--all-hosts"));  // exec only

  std::string check = printed({"check", "-h"});
  CHECK(check.starts_with("Usage: lkrecover check "));
  CHECK_FALSE(has(check, "--yes"));

  std::string facts = printed({"facts", "--help"});
  CHECK(has(facts, "--raw"));
  CHECK_FALSE(has(facts, "--purge-resources"));

  std::string exec = printed({"exec", "--help"});
  CHECK(exec.starts_with("Usage: lkrecover exec "));
  CHECK(has(exec, "--all-hosts"));
  CHECK(has(exec, "confirmation"));
  CHECK_FALSE(has(exec, "--cluster"));

  for (const std::string command : {"verify", "ping"})
    CHECK(printed({command, "--help"}).starts_with("Usage: lkrecover " + command + " "));
  // `audit verify --help` is help, not a folder named --help.
  CHECK(printed({"audit", "verify", "--help"}).starts_with("Usage: lkrecover audit verify"));
  CHECK(printed({"report", "--help"}).starts_with("Usage: lkrecover report"));
  // `help COMMAND` is the same text; plain `help` the overview.
  CHECK(printed({"help", "run"}) == run);
  CHECK(has(printed({"help"}), "lkrecover exec"));
  CHECK_THROWS_WITH(printed({"help", "rnu"}), Catch::Contains("did you mean 'run'?"));
}

TEST_CASE("cli: options go before or after the command", "[unit][cli]") {
  auto before = parse({"-i", "inv.yml", "--all", "-f", "3", "check"});
  auto after = parse({"check", "-i", "inv.yml", "--all", "-f", "3"});
  REQUIRE(before);
  REQUIRE(after);
  CHECK(before->mode == Mode::check);
  CHECK(before->inventory == after->inventory);
  CHECK(before->all_clusters);
  CHECK(before->forks == 3);
  // A value that looks like a command stays the option's value.
  auto limited = parse({"--limit", "run", "ping", "-i", "inv.yml"});
  REQUIRE(limited);
  CHECK(limited->mode == Mode::ping);
  CHECK(limited->limit == "run");
  auto audit = parse({"--audit-key", "k", "audit", "verify", "runs/x"});
  REQUIRE(audit);
  CHECK(audit->mode == Mode::audit_verify);
  CHECK(audit->audit_run_dir == "runs/x");
  CHECK(audit->audit_key == "k");
  auto report = parse({"--out", "o", "report", "runs/x"});
  REQUIRE(report);
  CHECK(report->report_out == "o");
  CHECK(report->audit_run_dir == "runs/x");
}

TEST_CASE("cli: a mistyped command is answered with the nearest one", "[unit][cli]") {
  CHECK_THROWS_WITH(parse({"rnu", "-i", "x"}), Catch::Contains("did you mean 'run'?"));
  CHECK_THROWS_WITH(parse({"-i", "x", "chekc"}), Catch::Contains("did you mean 'check'?"));
  CHECK_THROWS_WITH(parse({"exce"}), Catch::Contains("did you mean 'exec'?"));
  // Nothing near: no guess, the list of commands.
  CHECK_THROWS_WITH(parse({"deploy", "-i", "x"}), !Catch::Contains("did you mean"));
  CHECK_THROWS_WITH(parse({"deploy", "-i", "x"}), Catch::Contains("check, run, verify"));
}

TEST_CASE("cli: Ansible's habits are refused with what to do instead", "[unit][cli]") {
  struct Habit {
    std::vector<std::string> words;
    std::string advice;
  };
  const std::vector<Habit> habits = {
      {{"run", "-i", "x", "--check"}, "lkrecover check"},
      {{"run", "-i", "x", "-C"}, "lkrecover check"},
      {{"run", "-i", "x", "--diff"}, "check` prints the plan"},
      {{"run", "-i", "x", "-b"}, "privilege escalation"},
      {{"run", "-i", "x", "--become"}, "privilege escalation"},
      {{"run", "-i", "x", "-u", "admin"}, "ansible_user in the inventory"},
      {{"run", "-i", "x", "--user=admin"}, "ansible_user in the inventory"},
      {{"run", "-i", "x", "-e", "a=b"}, "from the inventory only"},
      {{"run", "-i", "x", "--extra-vars", "a=b"}, "from the inventory only"},
      {{"-i", "x", "all", "-m", "win_command", "-a", "hostname"}, "lkrecover exec"},
      {{"-i", "x", "-a", "hostname"}, "lkrecover exec"},
  };
  for (const auto& h : habits) {
    INFO(h.words[h.words.size() - 1]);
    CHECK_THROWS_AS(parse(h.words), CliError);
    CHECK_THROWS_WITH(parse(h.words), Catch::Contains(h.advice));
  }
}

TEST_CASE("cli: exec takes its program after -- and needs its hosts named", "[unit][cli]") {
  auto o = parse({"exec", "-i", "inv.yml", "--limit", "web*", "-y", "--", "C:\\x.exe", "-u",
                  "--check", "a&b", "--"});
  REQUIRE(o);
  CHECK(o->mode == Mode::exec);
  CHECK(std::string(mode_name(o->mode)) == "exec");
  CHECK(o->limit == "web*");
  CHECK(o->yes);
  // After `--` every word is the program's, Ansible habits and `--` included.
  CHECK(o->exec_argv == std::vector<std::string>{"C:\\x.exe", "-u", "--check", "a&b", "--"});
  auto all = parse({"exec", "-i", "inv.yml", "--all-hosts", "--", "hostname.exe"});
  REQUIRE(all);
  CHECK(all->all_hosts);

  CHECK_THROWS_WITH(parse({"exec", "-i", "inv.yml", "--", "h.exe"}), Catch::Contains("--limit"));
  CHECK_THROWS_WITH(parse({"exec", "-i", "inv.yml", "--limit", "a"}),
                    Catch::Contains("after `--`"));
  CHECK_THROWS_WITH(parse({"exec", "-i", "inv.yml", "--limit", "a", "--all-hosts", "--", "h"}),
                    Catch::Contains("exclude each other"));
  CHECK_THROWS_WITH(parse({"exec", "-i", "inv.yml", "--all-hosts", "--json", "--", "h"}),
                    Catch::Contains("--json goes with"));
  CHECK_THROWS_WITH(parse({"run", "-i", "inv.yml", "--", "h.exe"}), Catch::Contains("exec"));
  CHECK_THROWS_WITH(parse({"run", "-i", "inv.yml", "--all-hosts"}), Catch::Contains("exec"));
}
