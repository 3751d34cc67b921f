#include "inventory/host_address.h"

#include <arpa/inet.h>

#include <cctype>

namespace lkr {

namespace {

bool is_ip_literal(const std::string& s) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, s.c_str(), buffer) == 1 || inet_pton(AF_INET6, s.c_str(), buffer) == 1;
}

bool is_dns_label(const std::string& label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (unsigned char c : label)
    if (!std::isalnum(c) && c != '-' && c != '_') return false;
  return true;
}

bool all_digits_and_dots(const std::string& s) {
  for (unsigned char c : s)
    if (!std::isdigit(c) && c != '.') return false;
  return true;
}

}  // namespace

bool is_usable_address(const std::string& s) {
  if (is_ip_literal(s)) return true;
  std::string name = (!s.empty() && s.back() == '.') ? s.substr(0, s.size() - 1) : s;
  // "10.200.8" or "999.1.1.1" is a mistyped address, not a name.
  if (name.empty() || name.size() > 253 || all_digits_and_dots(name)) return false;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    if (!is_dns_label(name.substr(start, dot - start))) return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

}  // namespace lkr
