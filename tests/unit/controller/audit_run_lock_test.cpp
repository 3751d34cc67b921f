#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "controller/run_lock.h"
#include "tests/unit/controller/audit_test_support.h"

using Catch::Matchers::Contains;
using lkr::test::TempLogDir;

namespace {

std::string host_name() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  return name;
}

// A lock entry written the way a run that died would have left it.
void leave_entry(const TempLogDir& log, int pid, long long pid_start, const std::string& host,
                 const std::vector<std::string>& clusters) {
  nlohmann::json runs = nlohmann::json::array();
  runs.push_back({{"pid", pid},
                  {"pid_start", pid_start},
                  {"host", host},
                  {"run_id", "20261125T030000Z-dead00"},
                  {"operator", "someone"},
                  {"started", "2026-11-25T03:00:00.000Z"},
                  {"clusters", clusters}});
  lkr::test::write_bytes(log.path() / "lkrecover.lock", nlohmann::json{{"runs", runs}}.dump());
}

int dead_pid() {
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  return child;
}

}  // namespace

TEST_CASE("a second run on an overlapping cluster is refused, naming the holder") {
  TempLogDir log;
  lkr::RunLock first(log.path(), "run-1", {"sql-prod", "file-srv"});
  try {
    lkr::RunLock second(log.path(), "run-2", {"web", "file-srv"});
    FAIL("the second run was allowed");
  } catch (const lkr::RunLockRefused& e) {
    std::string text = e.what();
    CHECK_THAT(text, Contains("cluster(s) file-srv already held by run run-1"));
    CHECK_THAT(text, Contains("pid " + std::to_string(getpid())));
    CHECK_THAT(text, Contains("clusters sql-prod, file-srv"));
    CHECK_THAT(text, Contains("started 20"));
  }
}

TEST_CASE("runs on disjoint clusters go side by side; a released cluster is free again") {
  TempLogDir log;
  {
    lkr::RunLock first(log.path(), "run-1", {"sql-prod"});
    lkr::RunLock second(log.path(), "run-2", {"file-srv"});
    CHECK(second.stale_taken_over().empty());
  }
  lkr::RunLock again(log.path(), "run-3", {"sql-prod", "file-srv"});
  CHECK(again.stale_taken_over().empty());
}

TEST_CASE("a lock left by a dead process is taken over") {
  TempLogDir log;
  int pid = dead_pid();
  leave_entry(log, pid, 12345, host_name(), {"sql-prod"});
  lkr::RunLock lock(log.path(), "run-1", {"sql-prod"});
  REQUIRE(lock.stale_taken_over().size() == 1);
  CHECK(lock.stale_taken_over()[0].pid == pid);
}

TEST_CASE("a lock whose pid now belongs to a younger process is taken over") {
  TempLogDir log;
  long long my_start = lkr::process_start_ticks(getpid());
  REQUIRE(my_start > 0);
  leave_entry(log, getpid(), my_start - 1, host_name(), {"sql-prod"});
  lkr::RunLock lock(log.path(), "run-1", {"sql-prod"});
  CHECK(lock.stale_taken_over().size() == 1);
}

TEST_CASE("a live holder with the same pid and start time is not stale") {
  TempLogDir log;
  leave_entry(log, getpid(), lkr::process_start_ticks(getpid()), host_name(), {"sql-prod"});
  CHECK_THROWS_AS(lkr::RunLock(log.path(), "run-1", {"sql-prod"}), lkr::RunLockRefused);
}

TEST_CASE("another controller's entry is never judged stale from here") {
  TempLogDir log;
  leave_entry(log, dead_pid(), 1, "some-other-workstation", {"sql-prod"});
  CHECK_THROWS_WITH(lkr::RunLock(log.path(), "run-1", {"sql-prod"}),
                    Contains("on some-other-workstation"));
}
