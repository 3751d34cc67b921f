// UTF-8 <-> UTF-16LE (transports/unicode_text): the byte forms are written out by hand
// from the Unicode standard's encoding rules, not taken from the code's own output.
#include "transports/unicode_text.h"

#include <catch2/catch.hpp>
#include <string>

using namespace std::string_literals;

TEST_CASE("UTF-16LE of UTF-8: BMP, outside the BMP, and bytes that are not UTF-8") {
  CHECK(lkr::utf16le_from_utf8("A") == "A\0"s);
  // U+00E9 é, U+30C4 ツ, U+1F600 as the surrogate pair D83D DE00.
  CHECK(lkr::utf16le_from_utf8("\xC3\xA9\xE3\x83\x84\xF0\x9F\x98\x80") ==
        "\xE9\x00\xC4\x30\x3D\xD8\x00\xDE"s);
  // A lone continuation byte and a cut-off sequence each become U+FFFD, nothing dropped.
  CHECK(lkr::utf16le_from_utf8("\x80x\xE3\x83") == "\xFD\xFFx\0\xFD\xFF\xFD\xFF"s);
  // The same strictness as utf8_code_points: an overlong '/' and an encoded surrogate
  // are not characters, so each of their bytes becomes U+FFFD too.
  CHECK(lkr::utf16le_from_utf8("\xC0\xAF") == "\xFD\xFF\xFD\xFF"s);
  CHECK(lkr::utf16le_from_utf8("\xED\xA0\x80") == "\xFD\xFF\xFD\xFF\xFD\xFF"s);
}

TEST_CASE("UTF-8 of UTF-16LE: pairs joined, lone surrogates replaced, odd byte dropped") {
  CHECK(lkr::utf8_from_utf16le("\xE9\x00\x3D\xD8\x00\xDE"s) == "\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(lkr::utf8_from_utf16le("\x00\xDCZ\x00"s) == "\xEF\xBF\xBDZ");
  CHECK(lkr::utf8_from_utf16le("A\0B"s) == "A");
}

TEST_CASE("strict code points refuse overlongs, surrogates and cut sequences") {
  auto cps = lkr::utf8_code_points("a\xC3\xA9\xF0\x9F\x98\x80");
  REQUIRE(cps);
  CHECK(*cps == std::vector<char32_t>{U'a', 0xE9, 0x1F600});
  CHECK_FALSE(lkr::utf8_code_points("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(lkr::utf8_code_points("\xED\xA0\x80"));      // a surrogate, D800
  CHECK_FALSE(lkr::utf8_code_points("\xE3\x83"));          // cut off
  CHECK_FALSE(lkr::utf8_code_points("\xF4\x90\x80\x80"));  // above U+10FFFF
  std::string back;
  for (char32_t cp : *cps) lkr::append_utf8(back, cp);
  CHECK(back == "a\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(lkr::utf16le_from_code_points(*cps) == lkr::utf16le_from_utf8(back));
}
