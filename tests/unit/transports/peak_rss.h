// Peak memory of this process (getrusage's ru_maxrss), for tests that bound what a flood
// of output may cost.
#pragma once

#include <sys/resource.h>

#include <cstddef>

namespace lkr::test {

// The largest resident set of this process so far, in bytes.
inline std::size_t peak_rss_bytes() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;
}

}  // namespace lkr::test

// Under AddressSanitizer every freed block waits in a quarantine (256 MiB by default)
// before its memory is used again, so churn alone would raise the peak by that much:
// a test that bounds peak memory keeps the quarantine small. Ignored without ASan.
#define LKR_SMALL_ASAN_QUARANTINE()                                    \
  extern "C" const char* __asan_default_options() {                    \
    return "quarantine_size_mb=8:thread_local_quarantine_size_kb=256"; \
  }
