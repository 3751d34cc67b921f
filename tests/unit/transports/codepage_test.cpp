// Code page decoding. Expected code points come from the Unicode consortium's mapping
// tables (MAPPINGS/VENDORS/MICSFT: CP437.TXT, CP850.TXT, CP932.TXT, CP1252.TXT).
#include "transports/codepage.h"

#include <catch2/catch.hpp>

using lkr::decode_to_utf8;

TEST_CASE("CP437 box drawing and accents") {
  CHECK(decode_to_utf8("\xC9\xCD\xBB", 437) == "\u2554\u2550\u2557");  // ╔═╗
  CHECK(decode_to_utf8("\x81\x82\xE1", 437) == "\u00FC\u00E9\u00DF");  // üéß
  CHECK(decode_to_utf8("Active code page: 437\r\n", 437) == "Active code page: 437\r\n");
}

TEST_CASE("CP850 differs from CP437 where the tables say") {
  CHECK(decode_to_utf8("\x9B", 437) == "\u00A2");  // ¢
  CHECK(decode_to_utf8("\x9B", 850) == "\u00F8");  // ø
  CHECK(decode_to_utf8("\xD5", 850) == "\u0131");  // ı
}

TEST_CASE("CP932 (Shift_JIS) double-byte characters") {
  CHECK(decode_to_utf8("\x93\xFA\x96\x7B", 932) == "\u65E5\u672C");  // 日本
  CHECK(decode_to_utf8("\x8C\xBB\x8D\xDD\x82\xCC\x83\x52\x81\x5B\x83\x68 \x83\x79\x81\x5B\x83"
                       "\x57: 932\r\n",
                       932) == "現在のコード ページ: 932\r\n");
  CHECK(decode_to_utf8("\xB1", 932) == "\uFF71");      // half-width katakana ｱ
  CHECK(decode_to_utf8("\x87\x40", 932) == "\u2460");  // ① (NEC extension, CP932 only)
}

TEST_CASE("CP1252 and its unmapped bytes") {
  CHECK(decode_to_utf8("\x80\xE9", 1252) == "\u20AC\u00E9");  // €é
  CHECK(decode_to_utf8("a\x81z", 1252) == "a\\x81z");         // 0x81 is undefined
}

TEST_CASE("undecodable bytes are kept as \\xNN, never dropped") {
  CHECK(decode_to_utf8("ok\x93", 932) == "ok\\x93");     // lead byte cut off at the end
  CHECK(decode_to_utf8("\x81\x20x", 932) == "\\x81 x");  // invalid trail byte
}

TEST_CASE("65001 is validated UTF-8") {
  CHECK(decode_to_utf8("日本 ok\r\n", 65001) == "日本 ok\r\n");
  CHECK(decode_to_utf8("a\xFF"
                       "b",
                       65001) == "a\\xFFb");
  CHECK(decode_to_utf8("\xC0\xAF", 65001) == "\\xC0\\xAF");           // overlong '/'
  CHECK(decode_to_utf8("\xED\xA0\x80", 65001) == "\\xED\\xA0\\x80");  // surrogate
  CHECK(decode_to_utf8("\xE6\x97", 65001) == "\\xE6\\x97");           // cut off
}

TEST_CASE("large output decodes whole") {
  std::string bytes;
  for (int i = 0; i < 200000; ++i) bytes += "\x93\xFA";
  std::string text = decode_to_utf8(bytes, 932);
  CHECK(text.size() == 200000u * 3u);  // U+65E5 is 3 bytes of UTF-8
  CHECK(text.substr(0, 3) == "\u65E5");
}

TEST_CASE("an unknown code page is an error") {
  CHECK_THROWS_AS(decode_to_utf8("x", 123456), std::invalid_argument);
  CHECK_FALSE(lkr::codepage_supported(123456));
  CHECK(lkr::codepage_supported(932));
}
