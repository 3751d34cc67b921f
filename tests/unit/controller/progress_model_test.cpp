// The live progress's state and its lines, with hand-made times: the status line of a
// running cluster (phase, hosts done/total, elapsed, the slowest host's command) and the
// line a finished cluster collapses to.
#include "controller/progress_model.h"

#include <catch2/catch.hpp>

#include "controller/display_width.h"
#include "controller/progress_lines.h"

using namespace std::chrono_literals;
using lkr::ClusterOutcome;
using lkr::ClusterStatus;
using lkr::ProgressClock;
using lkr::ProgressModel;

namespace {

const ProgressClock::time_point t0 = ProgressClock::time_point{} + 1000h;

std::vector<std::string> names(const ProgressModel& m) {
  std::vector<std::string> out;
  for (const auto* c : m.running()) out.push_back(c->name);
  return out;
}

}  // namespace

TEST_CASE("clusters keep the order they started in; finished ones leave the live lines") {
  ProgressModel m;
  m.cluster_started("b", t0);
  m.cluster_started("a", t0 + 1s);
  m.phase("c", "preflight", 2, t0 + 2s);  // unknown until now: added last
  CHECK(names(m) == std::vector<std::string>{"b", "a", "c"});
  CHECK(m.cluster_finished("a", t0 + 9500ms) == 8500ms);
  CHECK(names(m) == std::vector<std::string>{"b", "c"});
  REQUIRE(m.find("a") != nullptr);
  CHECK(m.find("a")->finished);
}

TEST_CASE("a phase counts its own hosts: each once, from zero at its start") {
  ProgressModel m;
  m.cluster_started("erp", t0);
  m.phase("erp", "preflight", 3, t0);
  m.host_done("erp", "ALPHA");
  m.host_done("erp", "ALPHA");
  m.host_done("erp", "BRAVO");
  CHECK(m.find("erp")->hosts_done_count() == 2);
  m.phase("erp", "equivalencies", 2, t0 + 3s);
  const auto* c = m.find("erp");
  CHECK(c->phase == "equivalencies");
  CHECK(c->hosts_total == 2);
  CHECK(c->hosts_done_count() == 0);
  m.host_done("nobody", "X");  // a cluster never started is not invented by a late event
  CHECK(m.find("nobody") == nullptr);
}

TEST_CASE("the command shown is the one running longest") {
  ProgressModel m;
  m.cluster_started("erp", t0);
  m.command_started("erp", "BRAVO", "lcdsync -d BRAVO", t0 + 5s);
  m.command_started("erp", "ALPHA", "eqv_remove -d ALPHA", t0 + 4s);
  REQUIRE(m.find("erp")->slowest() != nullptr);
  CHECK(m.find("erp")->slowest()->host == "ALPHA");
  m.command_ended("erp", "ALPHA");
  CHECK(m.find("erp")->slowest()->host == "BRAVO");
  // A host's next command replaces its last one.
  m.command_started("erp", "BRAVO", "sys_list", t0 + 6s);
  CHECK(m.find("erp")->in_flight.size() == 1);
  CHECK(m.find("erp")->slowest()->command == "sys_list");
  m.command_ended("erp", "BRAVO");
  CHECK(m.find("erp")->slowest() == nullptr);
}

TEST_CASE("the status line: phase, hosts done/total, elapsed, the slowest command") {
  ProgressModel m;
  m.cluster_started("erp", t0);
  m.phase("erp", "equivalencies", 3, t0 + 60s);
  m.host_done("erp", "CHARLIE");
  m.command_started("erp", "ALPHA", "eqv_remove -d ALPHA", t0 + 65s);
  m.command_started("erp", "BRAVO", "eqv_list -d BRAVO", t0 + 66500ms);
  const auto now = t0 + 67s;
  CHECK(lkr::status_line(*m.find("erp"), now, 200) ==
        "[erp] phase equivalencies  hosts 1/3  elapsed 1:07  in flight on ALPHA (2.0s): "
        "eqv_remove -d ALPHA");
  // Cut to the terminal's width: 37 columns of text and the dots.
  CHECK(lkr::status_line(*m.find("erp"), now, 40) == "[erp] phase equivalencies  hosts 1/3 ...");
  m.command_ended("erp", "ALPHA");
  m.command_ended("erp", "BRAVO");
  CHECK(lkr::status_line(*m.find("erp"), now, 200) ==
        "[erp] phase equivalencies  hosts 1/3  elapsed 1:07");
}

TEST_CASE("before its first phase a cluster is starting; node text is escaped") {
  ProgressModel m;
  m.cluster_started("sql\x1b[2J", t0);
  m.command_started("sql\x1b[2J", "N\r1", "type x\x1b]0;t\x07", t0);
  std::string line = lkr::status_line(*m.find("sql\x1b[2J"), t0 + 1s, 200);
  CHECK(line ==
        "[sql\\x1b[2J] phase starting  hosts 0/0  elapsed 0:01  in flight on N\\x0d1 (1.0s): "
        "type x\\x1b]0;t\\x07");
}

TEST_CASE("clock text: minutes and seconds, hours when there are any") {
  CHECK(lkr::clock_text(0ms) == "0:00");
  CHECK(lkr::clock_text(59999ms) == "0:59");
  CHECK(lkr::clock_text(754000ms) == "12:34");
  CHECK(lkr::clock_text(3723000ms) == "1:02:03");
}

TEST_CASE("a finished cluster collapses to one line: status, changes, duration") {
  ClusterOutcome o;
  o.name = "erp";
  o.status = ClusterStatus::changed;
  o.hosts["ALPHA"].changed = 3;
  o.hosts["BRAVO"].changed = 2;
  o.hosts["CHARLIE"].ok = 7;
  CHECK(lkr::collapsed_line(o, 9500ms) ==
        "[erp] finished: changed, 5 change(s) on 2 host(s), 0:09");

  o.status = ClusterStatus::failed;
  o.failed_step = "cluster-serial";
  o.failed_host = "BRAVO";
  CHECK(lkr::collapsed_line(o, 65s) ==
        "[erp] finished: failed at cluster-serial on BRAVO, 5 change(s) on 2 host(s), 1:05");

  ClusterOutcome checked;
  checked.name = "erp";
  checked.status = ClusterStatus::changes_pending;
  checked.pending = {{"ALPHA", 4}, {"BRAVO", 0}, {"CHARLIE", 2}};
  CHECK(lkr::collapsed_line(checked, 3s) ==
        "[erp] finished: pending, 6 change(s) pending on 2 host(s), 0:03");
}

TEST_CASE("a phase's plain line") {
  CHECK(lkr::phase_line("erp", "cluster-serial", 2) == "[erp] phase cluster-serial: 2 host(s)");
}
