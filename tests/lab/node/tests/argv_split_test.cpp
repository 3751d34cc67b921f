#include "tests/lab/node/argv_split.h"

#include <catch2/catch.hpp>

using V = std::vector<std::string>;
using lab::command_line_to_argv;

// Microsoft's documented table ("Parsing C++ command-line arguments"), argv[1..]:
//   "abc" d e        -> abc | d | e
//   a\\b d"e f"g h   -> a\\b | de fg | h
//   a\\\"b c d       -> a\"b | c | d
//   a\\\\"b c" d e   -> a\\b c | d | e
//   a"b"" c d        -> ab" c d     (CommandLineToArgvW: "" inside quotes = a literal
//                                    quote that also ends the quoted part; see argv_split.h)
TEST_CASE("CommandLineToArgvW: Microsoft's examples", "[argv]") {
  CHECK(command_line_to_argv(R"(p "abc" d e)") == V{"p", "abc", "d", "e"});
  CHECK(command_line_to_argv(R"(p a\\b d"e f"g h)") == V{"p", R"(a\\b)", "de fg", "h"});
  CHECK(command_line_to_argv(R"(p a\\\"b c d)") == V{"p", R"(a\"b)", "c", "d"});
  CHECK(command_line_to_argv(R"(p a\\\\"b c" d e)") == V{"p", R"(a\\b c)", "d", "e"});
}

TEST_CASE("CommandLineToArgvW: quote runs as shell32 handles them", "[argv]") {
  // "a""b": inside quotes, "" gives a quote and leaves the quoted part; b is unquoted.
  CHECK(command_line_to_argv(R"(p "a""b" c)") == V{"p", "a\"b c"});
  // Three quotes inside quotes: a literal quote, and quoting goes on.
  CHECK(command_line_to_argv(R"(p "a"""b c)") == V{"p", "a\"b c"});
  CHECK(command_line_to_argv(R"(p """a b""")") == V{"p", "\"a", "b\""});
  CHECK(command_line_to_argv(R"(p "" x)") == V{"p", "", "x"});
}

TEST_CASE("CommandLineToArgvW: argv[0] has its own rules", "[argv]") {
  // A quoted program name ends at the next quote; backslashes are not escapes there.
  CHECK(command_line_to_argv(R"("C:\Program Files\x.exe" a)") ==
        V{R"(C:\Program Files\x.exe)", "a"});
  CHECK(command_line_to_argv(R"(C:\a\"b" c)") == V{R"(C:\a\"b")", "c"});
  CHECK(command_line_to_argv("eqv_list") == V{"eqv_list"});
  CHECK(command_line_to_argv("eqv_list   ") == V{"eqv_list"});
  CHECK(command_line_to_argv("p -f\t") == V{"p", "-f"});
}
