// The report's timeline arithmetic, on numbers worked out by hand.
#include <catch2/catch.hpp>

#include "controller/report/audit_time.h"
#include "controller/report/gantt_geometry.h"

using namespace lkr::report;

TEST_CASE("report gantt: a bar starts and ends where its command did", "[unit][report]") {
  // 10 s of run drawn on 1000 units from x=100: 1 ms = 0.1 unit.
  TimeAxis axis{1000, 11000, 100, 1000};
  Bar b = bar_of(axis, 3000, 5000);
  CHECK(b.x == Approx(300));      // 100 + (3000-1000) * 0.1
  CHECK(b.width == Approx(200));  // 2000 ms * 0.1
  Bar last = bar_of(axis, 8500, 11000);
  CHECK(last.x == Approx(850));
  CHECK(last.width == Approx(250));
  CHECK(axis.x_of(11000) == Approx(1100));
}

TEST_CASE("report gantt: a short command keeps a visible bar", "[unit][report]") {
  TimeAxis axis{1000, 11000, 100, 1000};
  Bar tiny = bar_of(axis, 5000, 5001);  // 0.1 unit wide by time
  CHECK(tiny.x == Approx(500));
  CHECK(tiny.width == Approx(kMinBarWidth));
  // At the right edge the minimum width is taken from the left, inside the plot.
  Bar edge = bar_of(axis, 11000, 11000);
  CHECK(edge.width == Approx(kMinBarWidth));
  CHECK(edge.x == Approx(1100 - kMinBarWidth));
  // An end before the start (a clock step) is drawn as an instant, not a negative bar.
  CHECK(bar_of(axis, 5000, 4000).width == Approx(kMinBarWidth));
}

TEST_CASE("report gantt: a run of one instant has no span to divide by", "[unit][report]") {
  TimeAxis axis{5000, 5000, 100, 1000};
  Bar b = bar_of(axis, 5000, 5000);
  CHECK(b.x == Approx(100));
  CHECK(b.width == Approx(kMinBarWidth));
}

TEST_CASE("report gantt: ticks are 1, 2 or 5 times a power of ten", "[unit][report]") {
  CHECK(tick_step_ms(10000, 10) == 1000);  // 10 intervals of 1 s
  CHECK(tick_step_ms(2600, 10) == 500);    // 200 ms would need 13, 500 ms needs 6
  CHECK(tick_step_ms(90, 10) == 10);       // 9 intervals
  CHECK(tick_step_ms(101, 10) == 20);      // 10 ms would need 11
  CHECK(tick_step_ms(0, 10) == 1);
}

TEST_CASE("report gantt: the trail's timestamps read back to the millisecond", "[unit][report]") {
  CHECK(parse_audit_time_ms("1970-01-01T00:00:01.500Z") == 1500);
  CHECK(parse_audit_time_ms("1970-01-02T00:00:00.000Z") == 86400000LL);
  // 1970..1999 hold 10957 days (30 * 365 + 7 leap days); January 31 and February 29 of the
  // leap year 2000 make 11017.
  CHECK(parse_audit_time_ms("2000-03-01T00:00:00.000Z") == 11017LL * 86400000LL);
  CHECK(parse_audit_time_ms("2000-03-01T01:02:03.004Z") ==
        11017LL * 86400000LL + 3723004LL);  // 1 h 2 min 3 s 4 ms
  CHECK_FALSE(parse_audit_time_ms("2026-13-01T00:00:00.000Z"));
  CHECK_FALSE(parse_audit_time_ms("2026-02-30T00:00:00.000Z"));
  CHECK_FALSE(parse_audit_time_ms("2026-01-01T00:00:00.000"));
  CHECK_FALSE(parse_audit_time_ms("2026-01-01 00:00:00.000Z"));
  CHECK_FALSE(parse_audit_time_ms("2026-01-01T0a:00:00.000Z"));
}
