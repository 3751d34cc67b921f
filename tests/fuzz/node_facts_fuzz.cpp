// Fuzzes gather_facts, the reader that turns a node's answers into facts: the input is
// the sequence of outputs the node gives, one per command, separated by the byte 0x1E;
// an output starting with '!' comes with exit code 1, one starting with '~' is marked
// truncated. Only OddOutput (odd or failed output) may escape.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/action.h"
#include "tasks/node_facts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> answers;
  for (size_t start = 0;;) {
    size_t end = input.find('\x1e', start);
    answers.push_back(input.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  lkr::Host host;
  host.name = host.system = "BENHOGAN2008";
  size_t next = 0;
  lkr::ReadFn read = [&](const std::string&, const lkr::Command&) {
    lkr::CommandResult r;
    std::string_view a = next < answers.size() ? answers[next++] : std::string_view();
    r.exit_code = 0;
    if (!a.empty() && a.front() == '!') r.exit_code = 1, a.remove_prefix(1);
    if (!a.empty() && a.front() == '~') r.truncated = true, a.remove_prefix(1);
    r.stdout_utf8 = std::string(a);
    return r;
  };
  try {
    (void)lkr::tasks::gather_facts(host, read);
  } catch (const lkr::OddOutput&) {
  }
  return 0;
}
