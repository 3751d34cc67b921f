// Generated argument vectors for the differential conformance test, and shrinking of a
// failing one to a minimal case.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wine {

// Deterministic for a given (seed, index): case i of a run is the same on every machine.
// Arguments are built from pieces chosen for cmd.exe and CommandLineToArgvW: blanks,
// quotes, runs of backslashes (before quotes and at the end), every cmd metacharacter,
// %VAR%- and !VAR!-like text, empty strings, and non-ASCII (Latin-1, Japanese, a
// character outside the BMP).
std::vector<std::string> generate_args(std::uint64_t seed, std::uint64_t index);

// Smallest vector found (fewer arguments, then fewer characters, then ASCII 'a' in place
// of other characters) for which `fails` still holds. `fails(args)` must hold at entry.
std::vector<std::string> shrink(std::vector<std::string> args,
                                const std::function<bool(const std::vector<std::string>&)>& fails);

// For messages: the vector as a C++-style list of escaped strings.
std::string show(const std::vector<std::string>& args);

}  // namespace wine
