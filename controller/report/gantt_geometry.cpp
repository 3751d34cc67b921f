#include "controller/report/gantt_geometry.h"

#include <algorithm>

namespace lkr::report {

double TimeAxis::x_of(long long t_ms) const {
  long long span = t1_ms - t0_ms;
  if (span <= 0) return x0;
  return x0 + static_cast<double>(t_ms - t0_ms) * width / static_cast<double>(span);
}

Bar bar_of(const TimeAxis& axis, long long start_ms, long long end_ms) {
  Bar bar;
  bar.x = axis.x_of(start_ms);
  bar.width = std::max(kMinBarWidth, axis.x_of(std::max(start_ms, end_ms)) - bar.x);
  bar.x = std::max(axis.x0, std::min(bar.x, axis.x0 + axis.width - bar.width));
  return bar;
}

long long tick_step_ms(long long span_ms, int max_ticks) {
  if (span_ms <= 0 || max_ticks < 1) return 1;
  for (long long decade = 1;; decade *= 10) {
    for (long long m : {1, 2, 5}) {
      long long step = m * decade;
      if (span_ms / step + (span_ms % step ? 1 : 0) <= max_ticks) return step;
    }
  }
}

}  // namespace lkr::report
