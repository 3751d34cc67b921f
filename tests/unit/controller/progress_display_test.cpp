// The live region's terminal text (cursor up, erase, lines) and its ticker.
#include "controller/progress_display.h"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>

using namespace std::chrono_literals;
using lkr::ProgressRegion;

TEST_CASE("the region is redrawn in place and permanent lines go above it") {
  ProgressRegion r;
  CHECK(r.redraw({"a", "b"}, 10) == "a\nb\n");
  CHECK(r.rows() == 2);
  // Up two rows to the region's first, erase to the end of the screen, draw again.
  CHECK(r.redraw({"c"}, 10) == "\r\033[2A\033[Jc\n");
  CHECK(r.print_above("done\n", {"c"}, 10) == "\r\033[1A\033[Jdone\nc\n");
  CHECK(r.clear() == "\r\033[1A\033[J");
  CHECK(r.clear().empty());  // nothing drawn, nothing to erase
  CHECK(r.rows() == 0);
}

TEST_CASE("more clusters than rows: the last row sums up the rest") {
  ProgressRegion r;
  CHECK(r.redraw({"1", "2", "3", "4", "5"}, 3) == "1\n2\n... and 3 more cluster(s) running\n");
  CHECK(r.rows() == 3);
  CHECK(r.redraw({}, 3) == "\r\033[3A\033[J");
  CHECK(r.rows() == 0);
}

TEST_CASE("the ticker ticks again and again until stopped") {
  std::mutex mu;
  std::condition_variable cv;
  int ticks = 0;
  lkr::Ticker ticker(5ms, [&] {
    std::lock_guard lock(mu);
    ++ticks;
    cv.notify_all();
    return true;
  });
  std::unique_lock lock(mu);
  CHECK(cv.wait_for(lock, 10s, [&] { return ticks >= 3; }));
}

TEST_CASE("stop() wakes a waiting ticker at once, without a tick") {
  int ticks = 0;
  lkr::Ticker ticker(1h, [&] { return ++ticks > 0; });
  auto start = std::chrono::steady_clock::now();
  ticker.stop();
  ticker.stop();  // idempotent
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  CHECK(ticks == 0);
}

TEST_CASE("a tick that returns false ends the ticker") {
  std::mutex mu;
  std::condition_variable cv;
  int ticks = 0;
  bool ended = false;
  lkr::Ticker ticker(1ms, [&] {
    std::lock_guard lock(mu);
    ++ticks;
    ended = true;
    cv.notify_all();
    return false;
  });
  {
    std::unique_lock lock(mu);
    REQUIRE(cv.wait_for(lock, 10s, [&] { return ended; }));
  }
  ticker.stop();
  std::lock_guard lock(mu);
  CHECK(ticks == 1);
}
