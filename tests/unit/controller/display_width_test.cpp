// Display width: what lines up the recap's columns and fits a status line to the terminal.
#include "controller/display_width.h"

#include <catch2/catch.hpp>

using lkr::display_width;
using lkr::fit_width;
using lkr::pad_right;

TEST_CASE("each code point is one column, East Asian wide ones two") {
  CHECK(display_width("") == 0);
  CHECK(display_width("ALPHA") == 5);
  CHECK(display_width("é") == 1);                 // two bytes, one column
  CHECK(display_width("日本語") == 6);            // three bytes each, two columns each
  CHECK(display_width("サーバー") == 8);          // katakana and the prolonged sound mark
  CHECK(display_width("ＡＢ") == 4);              // fullwidth forms
  CHECK(display_width("\xF0\x9F\x98\x80") == 2);  // U+1F600, an emoji
  CHECK(display_width("a\xff") == 2);             // a stray byte counts one
}

TEST_CASE("padding is by columns, not bytes") {
  CHECK(pad_right("日本", 6) == "日本  ");
  CHECK(pad_right("ab", 4) == "ab  ");
  CHECK(pad_right("abcdef", 4) == "abcdef");
}

TEST_CASE("a line is cut to a width, never inside a character") {
  CHECK(fit_width("abcdef", 6) == "abcdef");
  CHECK(fit_width("abcdefg", 6) == "abc...");
  // Room for 2 columns before the dots: one wide character.
  CHECK(fit_width("日本語abc", 5) == "日...");
  // Room for 3: the second wide character does not fit whole, so only one is kept.
  CHECK(fit_width("日本語abc", 6) == "日...");
  CHECK(display_width(fit_width("日本語abc", 6)) == 5);
}
