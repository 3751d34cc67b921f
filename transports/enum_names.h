// The names a setting's values carry in an inventory (Ansible's spelling), kept in one
// table beside each enum: the inventory turns a name into its value once, at load time,
// and messages turn a value back into its name. Nothing else compares the names.
#pragma once

#include <cstddef>
#include <string_view>

namespace lkr {

template <class E>
struct EnumName {
  std::string_view text;
  E value;
};

// The name of `value` in `names` (every enum's table lists each of its values).
template <class E, std::size_t N>
constexpr std::string_view name_of(E value, const EnumName<E> (&names)[N]) {
  for (const EnumName<E>& n : names)
    if (n.value == value) return n.text;
  return "?";
}

}  // namespace lkr
