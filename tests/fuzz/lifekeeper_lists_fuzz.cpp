// Fuzzes LifeKeeper's listing parsers (eqv_list, sys_list, net_list, ins_list). The first
// byte picks the parser and the -f separator; the rest is the command's output. Only
// OddOutput (the parsers' documented error) may escape; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tasks/action.h"
#include "tasks/parsers/lifekeeper_lists.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  // The -f separator the product asks for, or another: lines without it split on Ctrl-A.
  const char separator = (selector & 0x10) ? '\t' : '|';
  try {
    switch (selector % 4) {
      case 0:
        (void)lkr::tasks::parse_eqv_list(text, separator);
        break;
      case 1:
        (void)lkr::tasks::parse_sys_list(text);
        break;
      case 2:
        (void)lkr::tasks::parse_net_list(text, separator, "BENHOGAN2008");
        break;
      default:
        (void)lkr::tasks::parse_ins_list(text, separator);
        break;
    }
  } catch (const lkr::OddOutput&) {
  }
  return 0;
}
