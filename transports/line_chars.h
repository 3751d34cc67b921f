// The characters no argument may carry into a command line, whatever the shell: NUL ends
// a Windows string early, and CR or LF would end the line where a shell reads the rest
// as another command.
#pragma once

#include <string_view>

namespace lkr {

// What the first such character in `text` is called, for a refusal; nullptr when none.
inline const char* forbidden_char_name(std::string_view text) {
  for (char c : text) {
    if (c == '\0') return "a NUL character";
    if (c == '\r') return "a carriage return (CR)";
    if (c == '\n') return "a line feed (LF)";
  }
  return nullptr;
}

}  // namespace lkr
