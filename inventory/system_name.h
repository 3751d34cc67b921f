// LifeKeeper system names compare as Windows compares computer names: ASCII letters
// case-insensitively, every other byte as it is (LifeKeeper upper-cases names, E3). The
// one definition, for the inventory, the parsers and the controller (header-only: tasks/
// uses the inventory's headers, not its library).
#pragma once

#include <string>
#include <string_view>

namespace lkr {

// The name with its ASCII letters upper-cased: equal keys, same system.
inline std::string system_name_key(std::string_view name) {
  std::string key(name);
  for (char& c : key)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return key;
}

inline bool same_system(std::string_view a, std::string_view b) {
  return a.size() == b.size() && system_name_key(a) == system_name_key(b);
}

}  // namespace lkr
