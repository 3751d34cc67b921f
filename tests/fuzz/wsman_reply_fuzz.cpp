// Fuzzes the WinRM (WS-Management) reply parsers: what a WinRM endpoint answers is
// untrusted XML. The first byte picks the parser; the rest is the reply. Only ReplyError
// (the parsers' documented error) may escape.
#include <cstddef>
#include <cstdint>
#include <string>

#include "transports/base64.h"
#include "transports/winrm/wsman_reply.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string xml(reinterpret_cast<const char*>(data + 1), size - 1);
  namespace w = lkr::winrm;
  try {
    switch (data[0] % 6) {
      case 0:
        if (auto f = w::parse_fault(xml)) {
          (void)f->text();
          (void)f->operation_timed_out();
          (void)f->shell_gone();
          (void)f->quota_exceeded();
        }
        break;
      case 1:
        (void)w::parse_shell_id(xml);
        break;
      case 2:
        (void)w::parse_command_id(xml);
        break;
      case 3:
        (void)w::parse_receive(xml, "11111111-2222-3333-4444-555555555555");
        break;
      case 4:
        (void)w::parse_relates_to(xml);
        break;
      default:
        (void)lkr::base64_decode(xml);
        break;
    }
  } catch (const w::ReplyError&) {
  }
  return 0;
}
