// Fuzzes the emcmd output parsers. The first byte picks the parser; the rest is the
// output. Only OddOutput (the parsers' documented error) may escape.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tasks/action.h"
#include "tasks/parsers/datakeeper_output.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    switch (data[0] % 5) {
      case 0:
        (void)lkr::tasks::parse_job_info(text);
        break;
      case 1:
        (void)lkr::tasks::parse_mirror_endpoints(text, "reg query");
        break;
      case 2:
        (void)lkr::tasks::parse_emcmd_status(text, "emcmd . clearswitchover E");
        break;
      case 3:
        (void)lkr::tasks::parse_registry_jobs(text);
        break;
      default:
        (void)lkr::tasks::parse_mirror_info(text);
        break;
    }
  } catch (const lkr::OddOutput&) {
  }
  return 0;
}
