// Fuzzes the parsers of chcp, hostname, the `if exist` probe, `reg query` and certutil
// (-hashfile's digest, -encode's file). The first byte picks the parser; the rest is the
// output. Only OddOutput may escape.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tasks/action.h"
#include "tasks/parsers/certutil_output.h"
#include "tasks/parsers/text_lines.h"
#include "tasks/parsers/windows_output.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    switch (data[0] % 8) {
      case 0:
        (void)lkr::tasks::parse_chcp(text);
        break;
      case 1:
        (void)lkr::tasks::parse_hostname(text);
        break;
      case 2:
        (void)lkr::tasks::parse_if_exist(text);
        break;
      case 3:
        (void)lkr::tasks::parse_reg_subkeys(
            text, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs");
        break;
      case 4:
        // The error-message helper every parser quotes odd lines with.
        (void)lkr::tasks::quote_line(text);
        (void)lkr::tasks::is_clean_text(text);
        break;
      case 5:
        (void)lkr::tasks::split_on_blanks(text);
        (void)lkr::tasks::split_lines(text);
        break;
      case 6:
        (void)lkr::tasks::parse_hashfile_sha256(text);
        break;
      default:
        (void)lkr::tasks::parse_encoded_file(text);
        break;
    }
  } catch (const lkr::OddOutput&) {
  }
  return 0;
}
