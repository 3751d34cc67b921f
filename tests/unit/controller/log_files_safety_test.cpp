// The attack "the lock file follows symlinks": the attacks of a local user who can reach the
// log folder. Each must leave the planted target untouched and refuse the run.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "controller/audit_trail.h"
#include "controller/log_dir_guard.h"
#include "controller/run_lock.h"
#include "tests/unit/controller/audit_test_support.h"

using Catch::Matchers::Contains;
using lkr::test::read_bytes;
using lkr::test::TempLogDir;
using lkr::test::write_bytes;

namespace {

lkr::RunStart a_start() {
  lkr::RunStart start;
  start.argv = {"lkrecover", "run"};
  start.mode = "run";
  return start;
}

}  // namespace

TEST_CASE("a symbolic link planted at lkrecover.lock is refused and its target left as it was") {
  TempLogDir log;
  TempLogDir elsewhere;
  auto victim = elsewhere.path() / "shadow";
  write_bytes(victim, "root:precious:0:0\n");
  std::filesystem::create_symlink(victim, log.path() / "lkrecover.lock");
  try {
    lkr::RunLock lock(log.path(), "run-1", {"sql-prod"});
    FAIL("the run went ahead through a symbolic link");
  } catch (const lkr::RunLockRefused& e) {
    CHECK_THAT(e.what(), Contains("symbolic link"));
    CHECK_THAT(e.what(), Contains("rm "));
  }
  CHECK(read_bytes(victim) == "root:precious:0:0\n");
}

TEST_CASE("a dangling symbolic link at lkrecover.lock creates no file at its target") {
  TempLogDir log;
  TempLogDir elsewhere;
  auto target = elsewhere.path() / "created-by-root";
  std::filesystem::create_symlink(target, log.path() / "lkrecover.lock");
  CHECK_THROWS_AS(lkr::RunLock(log.path(), "run-1", {"sql-prod"}), lkr::RunLockRefused);
  CHECK_FALSE(std::filesystem::exists(target));
}

TEST_CASE("a hard link at lkrecover.lock is refused and the other name's content kept") {
  TempLogDir log;
  auto other = log.path() / "other-name";
  write_bytes(other, "not a lock\n");
  std::filesystem::create_hard_link(other, log.path() / "lkrecover.lock");
  CHECK_THROWS_AS(lkr::RunLock(log.path(), "run-1", {"sql-prod"}), lkr::RunLockRefused);
  CHECK(read_bytes(other) == "not a lock\n");
}

TEST_CASE("a log folder writable by others is refused with the chmod that fixes it") {
  TempLogDir log;
  ::chmod(log.path().c_str(), 0777);
  try {
    lkr::AuditTrail trail(log.path(), a_start());
    FAIL("a run started in a world-writable log folder");
  } catch (const lkr::UnsafeLogDir& e) {
    CHECK_THAT(e.what(), Contains("writable by other users (mode 0777)"));
    CHECK_THAT(e.what(), Contains("chmod go-w '" + log.path().string() + "'"));
  }
  CHECK_THROWS_AS(lkr::RunLock(log.path(), "run-1", {"sql-prod"}), lkr::UnsafeLogDir);
  CHECK(std::filesystem::is_empty(log.path()));  // nothing was written there

  ::chmod(log.path().c_str(), 0770);
  CHECK_THROWS_WITH(lkr::AuditTrail(log.path(), a_start()), Contains("writable by its group"));

  ::chmod(log.path().c_str(), 0755);
  lkr::AuditTrail trail(log.path(), a_start());
  CHECK(std::filesystem::is_directory(trail.dir()));
}

TEST_CASE("a missing log folder is created private") {
  TempLogDir parent;
  auto log = parent.path() / "a" / "runs";
  lkr::AuditTrail trail(log, a_start());
  struct stat st {};
  REQUIRE(::stat(log.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);

  auto slashed = parent.path() / "b" / "runs" / "";  // --log-dir b/runs/
  lkr::RunLock lock(slashed, "run-1", {"sql-prod"});
  REQUIRE(::stat((parent.path() / "b" / "runs").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
}

TEST_CASE("a log folder owned by another user is refused with the chown that fixes it") {
  // Only root can hand a folder to someone else; to anyone else, / is one they do not own.
  if (::geteuid() != 0) {
    CHECK_THROWS_WITH(lkr::RunLock("/", "run-1", {"sql-prod"}), Contains("chown "));
    return;
  }
  TempLogDir log;
  REQUIRE(::chown(log.path().c_str(), 65534, 65534) == 0);
  try {
    lkr::RunLock lock(log.path(), "run-1", {"sql-prod"});
    FAIL("a root run used a folder another user owns");
  } catch (const lkr::UnsafeLogDir& e) {
    CHECK_THAT(e.what(), Contains("owned by uid 65534"));
    CHECK_THAT(e.what(), Contains("chown 0 '" + log.path().string() + "'"));
  }
  CHECK_FALSE(std::filesystem::exists(log.path() / "lkrecover.lock"));
}
