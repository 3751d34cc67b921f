#include "controller/report/audit_time.h"

#include <chrono>

namespace lkr::report {
namespace {

// The digits of text[from, from + count) as a number; nullopt if any is not a digit.
std::optional<int> digits(std::string_view text, size_t from, size_t count) {
  int value = 0;
  for (size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<long long> parse_audit_time_ms(std::string_view text) {
  // 0123456789012345678901234
  // 2026-11-25T03:45:00.123Z
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != '.' || text[23] != 'Z')
    return std::nullopt;
  auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  auto hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  auto ms = digits(text, 20, 3);
  if (!year || !month || !day || !hour || !minute || !second || !ms) return std::nullopt;
  using namespace std::chrono;
  year_month_day date{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                      std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  auto at = sys_days(date) + hours(*hour) + minutes(*minute) + seconds(*second) + milliseconds(*ms);
  return duration_cast<milliseconds>(at.time_since_epoch()).count();
}

}  // namespace lkr::report
