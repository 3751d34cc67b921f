// How many terminal columns text takes, for lining up columns and fitting a status line to
// the terminal's width. Each code point counts 1, except East Asian Wide and Fullwidth ones
// (CJK, kana, hangul, fullwidth forms, most emoji), which count 2, as terminals draw them.
// Text is expected to be valid UTF-8 (terminal_safe's output is); a stray byte counts 1.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lkr {

std::size_t display_width(std::string_view text);

// `text` padded with spaces on the right to `columns` (unchanged when already as wide).
std::string pad_right(std::string_view text, std::size_t columns);

// `text` cut to at most `columns` columns, ending in "..." when something was cut; never
// splits a UTF-8 sequence.
std::string fit_width(std::string_view text, std::size_t columns);

}  // namespace lkr
