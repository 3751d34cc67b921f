// The open files limit: raised to the hard limit at start, and a warning when a run's
// hosts cannot all hold a connection under it.
#include "controller/open_files_limit.h"

#include <sys/resource.h>

#include <catch2/catch.hpp>

using namespace lkr;

TEST_CASE("the soft limit of open files is raised to the hard one") {
  rlimit before{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &before) == 0);
  if (before.rlim_max == RLIM_INFINITY || before.rlim_max <= 256) {
    WARN("SKIPPED: the hard limit is unlimited or at most 256: nothing to raise to check");
    return;
  }
  rlimit lowered{256, before.rlim_max};  // lowering the soft limit is always allowed
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &lowered) == 0);

  OpenFilesLimit got = raise_open_files_limit();

  rlimit after{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &after) == 0);
  CHECK(after.rlim_cur == before.rlim_max);
  CHECK(got.soft == after.rlim_cur);
  CHECK(got.hard == before.rlim_max);
}

TEST_CASE("a run whose hosts do not fit under the limit is warned about") {
  OpenFilesLimit limit{300, 300};
  std::string warning = open_files_shortfall(limit, 1000);
  CHECK(warning.find("1000 hosts") != std::string::npos);
  CHECK(warning.find("300 files") != std::string::npos);
  CHECK(open_files_shortfall(limit, 10).empty());
  CHECK(open_files_shortfall(OpenFilesLimit{}, 1000).empty());  // unknown: nothing to say
}
