#include "tests/lab/node/codepage.h"

#include <iconv.h>

#include <catch2/catch.hpp>

// Expected bytes worked out by hand from each character's JIS X 0208 row-cell (ku-ten):
// s1 = (row + 1) / 2 + 0x80; s2 = cell + 0x3F (odd row, cell <= 63), cell + 0x40 (odd
// row, cell >= 64), cell + 0x9E (even row).
//   現 24-29 -> 8C BB   在 26-63 -> 8D DD   の 04-46 -> 82 CC   コ 05-19 -> 83 52
//   ー 01-28 -> 81 5B   ド 05-41 -> 83 68   ペ 05-58 -> 83 79   ジ 05-24 -> 83 57
TEST_CASE("UTF-8 to code page 932 (Shift_JIS)", "[codepage]") {
  std::string expected =
      "\x8C\xBB\x8D\xDD\x82\xCC\x83\x52\x81\x5B\x83\x68 \x83\x79\x81\x5B\x83\x57";
  CHECK(lab::to_console("現在のコード ページ", 932) == expected);
}

TEST_CASE("line ends become CRLF, unencodable characters '?'", "[codepage]") {
  CHECK(lab::to_console("a\nb\r\n", 437) == "a\r\nb\r\n");
  CHECK(lab::to_console("日本", 437) == "??");
  // é is 0x82 in CP437 and 0xE9 in CP1252 (the code page tables).
  CHECK(lab::to_console("\xC3\xA9", 437) == "\x82");
  CHECK(lab::to_console("\xC3\xA9", 1252) == "\xE9");
  CHECK(lab::to_console("\xC3\xA9", 65001) == "\xC3\xA9");
}

TEST_CASE("UTF-16LE round trip", "[codepage]") {
  std::string u16("A\0\x8F\x65", 4);  // "A" U+658F... little endian
  CHECK(lab::utf8_to_utf16le(lab::utf16le_to_utf8(u16)) == u16);
  CHECK(lab::utf16le_to_utf8(std::string("h\0i\0", 4)) == "hi");
}

// The ASCII fast path (no iconv for ASCII text) is right only if every supported code
// page maps 0x01-0x7F to itself: asked of glibc's own tables here.
TEST_CASE("ASCII is the same in every supported code page (glibc's tables)", "[codepage]") {
  std::string ascii;
  for (int c = 1; c < 0x80; ++c) ascii += static_cast<char>(c);
  for (const char* name : {"CP437", "CP850", "CP932", "CP1252"}) {
    iconv_t cd = iconv_open(name, "UTF-8");
    REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
    std::string out(ascii.size() * 4, '\0');
    char* src = ascii.data();
    char* dst = out.data();
    size_t left = ascii.size(), room = out.size();
    REQUIRE(iconv(cd, &src, &left, &dst, &room) != static_cast<size_t>(-1));
    iconv_close(cd);
    out.resize(out.size() - room);
    CHECK(out == ascii);
  }
  CHECK(lab::from_codepage(ascii, 932) == ascii);
  CHECK(lab::to_console("\\path\\~x", 932) == "\\path\\~x");
}
