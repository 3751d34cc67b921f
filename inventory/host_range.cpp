#include "inventory/host_range.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "inventory/inventory.h"

namespace lkr {

namespace {

constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr long kMaxHosts = 100000;  // a typo such as [1:9999999] must not eat the memory

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts{""};
  for (char c : text) {
    if (c == sep)
      parts.emplace_back();
    else
      parts.back() += c;
  }
  return parts;
}

class RangeExpander {
 public:
  explicit RangeExpander(const std::string& where) : where_(where) {}

  void expand(const std::string& name, std::vector<std::string>& out) {
    size_t open = name.find('['), close = name.find(']', open);
    if (open == std::string::npos || close == std::string::npos) {
      out.push_back(name);
      return;
    }
    std::string head = name.substr(0, open), tail = name.substr(close + 1);
    for (const auto& item : sequence(name.substr(open + 1, close - open - 1))) {
      if (static_cast<long>(out.size()) >= kMaxHosts)
        fail("host range \"" + name + "\" gives more than " + std::to_string(kMaxHosts) + " hosts");
      expand(head + item + tail, out);
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InventoryError(where_ + ": " + what + "; write ranges as [BEGIN:END] or " +
                         "[BEGIN:END:STEP], e.g. node[01:03] or node[a:c]");
  }

  long number(const std::string& text, const std::string& what) const {
    long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0)
      fail("host range: " + what + " \"" + text + "\" is not a number or a letter");
    return value;
  }

  std::vector<std::string> sequence(const std::string& range) const {
    auto bounds = split(range, ':');
    if (bounds.size() != 2 && bounds.size() != 3)
      fail("host range \"[" + range + "]\" must be begin:end or begin:end:step");
    std::string begin = bounds[0].empty() ? "0" : bounds[0], end = bounds[1];
    if (end.empty()) fail("host range \"[" + range + "]\" has no end");
    long step = bounds.size() == 3 ? number(bounds[2], "step") : 1;
    if (step < 1) fail("host range \"[" + range + "]\": the step must be at least 1");
    size_t b = kLetters.find(begin), e = kLetters.find(end);
    std::vector<std::string> items;
    if (begin.size() == 1 && end.size() == 1 && b != kLetters.npos && e != kLetters.npos) {
      if (b > e) fail("host range \"[" + range + "]\" must have begin <= end");
      for (size_t i = b; i <= e; i += static_cast<size_t>(step)) items.emplace_back(1, kLetters[i]);
      return items;
    }
    // A leading zero fixes the width: [01:10] gives 01 ... 10.
    size_t width = begin.size() > 1 && begin[0] == '0' ? begin.size() : 0;
    if (width && end.size() != width)
      fail("host range \"[" + range + "]\": begin and end must have the same width");
    long first = number(begin, "begin"), last = number(end, "end");
    if (last - first > kMaxHosts * step)
      fail("host range \"[" + range + "]\" gives more than " + std::to_string(kMaxHosts) +
           " hosts");
    for (long i = first; i <= last; i += step) {
      std::string s = std::to_string(i);
      items.push_back(std::string(width > s.size() ? width - s.size() : 0, '0') + s);
    }
    return items;
  }

  std::string where_;
};

// `name:PORT` (not an IPv6 address, whose colons are its own); `[v6]:PORT` too.
void split_port(std::string& name, std::string& port) {
  size_t colon = name.rfind(':');
  if (colon == std::string::npos || colon + 1 == name.size()) return;
  std::string digits = name.substr(colon + 1);
  if (!std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
    return;
  std::string host = name.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']' &&
      host.find(':') != std::string::npos) {
    name = host.substr(1, host.size() - 2);
    port = digits;
    return;
  }
  // Colons left outside brackets make it an IPv6 address (or a range's own colon).
  int depth = 0;
  for (char c : host) {
    depth += c == '[' ? 1 : c == ']' ? -1 : 0;
    if (c == ':' && depth == 0) return;
  }
  if (depth != 0) return;
  name = host;
  port = digits;
}

}  // namespace

HostPattern expand_host_pattern(const std::string& text, const std::string& where) {
  HostPattern p;
  std::string name = text;
  split_port(name, p.port);
  RangeExpander(where).expand(name, p.names);
  return p;
}

}  // namespace lkr
