// Where things go on the report's timeline: time maps linearly onto the plot's width, so
// a command's bar starts where it started and is as long as it took. Kept apart from the
// SVG so the arithmetic is tested on numbers, not on markup.
#pragma once

namespace lkr::report {

// A bar is never narrower than this (SVG user units): a 3 ms `chcp` among 20 s of
// DataKeeper work must still be there to see and to hover.
inline constexpr double kMinBarWidth = 2.0;

struct TimeAxis {
  long long t0_ms = 0, t1_ms = 0;  // the first start and the last end of the chart
  double x0 = 0, width = 0;        // the plot area, in SVG user units
  // t's position; an axis with no span (one instant) puts everything at x0.
  double x_of(long long t_ms) const;
};

struct Bar {
  double x = 0, width = 0;
};

// The bar of something that ran from start_ms to end_ms: at least kMinBarWidth wide, and
// moved left when that minimum would run it past the plot's right edge.
Bar bar_of(const TimeAxis& axis, long long start_ms, long long end_ms);

// The interval between labelled ticks: the smallest of 1, 2, 5 x 10^k ms that puts at
// most max_ticks intervals on span_ms (1 for an empty span).
long long tick_step_ms(long long span_ms, int max_ticks);

}  // namespace lkr::report
