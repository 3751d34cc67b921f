// The quoting layer, read back through an independent model of cmd.exe and
// CommandLineToArgvW (cmd_reference.h): whatever the arguments, the program must get
// exactly the intended argv and cmd must see no operator and expand no variable.
#include "transports/cmd_quoting.h"

#include <catch2/catch.hpp>
#include <random>
#include <stdexcept>

#include "tests/unit/transports/cmd_reference.h"

using lkr::Arg;
using lkr::Command;
using lkr::CommandKind;

namespace {

cmdref::Environment hostile_environment() {
  cmdref::Environment env;
  env.vars = {{"PATH", "C:\\Windows\\system32"}, {"LKROOT", "C:\\LK"}, {"CD", "C:\\Users\\lk"}};
  env.hostile = true;
  return env;
}

struct CmdReading {
  bool unescaped_operator = false;
  std::string command_token;
  std::vector<std::string> argv;  // as CommandLineToArgvW gives it to the program
  std::vector<std::string> builtin_args;
};

CmdReading read_like_cmd(const std::string& line) {
  std::string stripped = cmdref::strip_slash_c_quotes(line);
  std::string expanded = cmdref::expand_percents(stripped, hostile_environment());
  cmdref::Phase2 p2 = cmdref::carets_and_quotes(expanded);
  return {p2.unescaped_operator, p2.command_token, cmdref::command_line_to_argv(p2.from_command),
          cmdref::builtin_args(p2.tail)};
}

void require_round_trip(const std::string& program, const std::vector<std::string>& args) {
  std::string line = lkr::render_cmd_line(lkr::program(program, args));
  INFO("line: " << line);
  CmdReading r = read_like_cmd(line);
  CHECK_FALSE(r.unescaped_operator);
  CHECK(r.command_token == program);
  std::vector<std::string> expected{program};
  expected.insert(expected.end(), args.begin(), args.end());
  CHECK(r.argv == expected);
}

const std::vector<std::string> kPrograms = {
    "C:\\LK\\Bin\\eqv_list.exe",
    "C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe",
    "reg",
    "C:\\odd (x86)\\a&b^c,d;e=f!g\\tool.exe",
    "C:\\プログラム\\ツール.exe",
};

}  // namespace

TEST_CASE("the reference model reads Microsoft's documented examples as documented") {
  // "Parsing C command-line arguments", examples table (argv[0] "p" prepended).
  using V = std::vector<std::string>;
  CHECK(cmdref::command_line_to_argv(R"(p "abc" d e)") == V{"p", "abc", "d", "e"});
  CHECK(cmdref::command_line_to_argv(R"(p a\\b d"e f"g h)") == V{"p", "a\\\\b", "de fg", "h"});
  CHECK(cmdref::command_line_to_argv(R"(p a\\\"b c d)") == V{"p", "a\\\"b", "c", "d"});
  CHECK(cmdref::command_line_to_argv(R"(p a\\\\"b c" d e)") == V{"p", "a\\\\b c", "d", "e"});
  CHECK(cmdref::command_line_to_argv(R"("C:\x y\p.exe" a)") == V{"C:\\x y\\p.exe", "a"});
  // cmd /? : a line starting with a quote loses its first and last quote.
  CHECK(cmdref::strip_slash_c_quotes(R"(""C:\a b\p.exe" "x")") == R"("C:\a b\p.exe" "x)");
  CHECK(cmdref::expand_percents("%LKROOT%\\Bin %NOPE% 50%",
                                cmdref::Environment{{{"LKROOT", "C:\\LK"}}, false}) ==
        "C:\\LK\\Bin %NOPE% 50%");
  CHECK(cmdref::carets_and_quotes("a ^& b").text == "a & b");
  CHECK(cmdref::carets_and_quotes("a & b").unescaped_operator);
  CHECK_FALSE(cmdref::carets_and_quotes("\"a & b\"").unescaped_operator);
}

TEST_CASE("plain programs and arguments render as typed") {
  // Derived by hand from the rules: nothing here needs a quote or a caret.
  CHECK(lkr::render_cmd_line(lkr::program("C:\\LK\\Bin\\eqv_list.exe", {})) ==
        "C:\\LK\\Bin\\eqv_list.exe");
  CHECK(lkr::render_cmd_line(lkr::program("C:\\LK\\Bin\\eqv_remove.exe",
                                          {"-s", "BENHOGAN2008", "-t", "LK1-BENHOGAN2K8"})) ==
        "C:\\LK\\Bin\\eqv_remove.exe -s BENHOGAN2008 -t LK1-BENHOGAN2K8");
  CHECK(lkr::render_cmd_line(lkr::program("reg", {"query", "HKLM\\A B"})) ==
        "reg query ^\"HKLM\\A B^\"");
  CHECK(lkr::render_cmd_line(lkr::program("C:\\P Q\\x.exe", {"a"})) == "\"\"C:\\P Q\\x.exe\" a\"");
}

TEST_CASE("hand-picked arguments reach the program unchanged") {
  const std::vector<std::vector<std::string>> cases = {
      {"Vol E data"},
      {"tab\there"},
      {"say \"hi\" now"},
      {"\""},
      {"\"\""},
      {"a\\\"b"},
      {"a\\\\\"b c"},
      {"trailing\\"},
      {"trailing space\\"},
      {"trailing\\\\ two\\\\"},
      {"A&B", "A|B", "A<B", "A>B", "A^B", "(A)", "A!B!", "a,b;c=d"},
      {"x y & hostname", "\" & hostname & \"", "^", "^^", "^\"", "\"^"},
      {"%PATH%", "%LKROOT%\\Bin", "50%", "%", "%%", "%%%", "100%%done", "%NO_SUCH%"},
      {"%PATH:~0,3%", "%=C:%", "%CD%%CD%", "a%b%c%d%e", "%\"%", "%^%", "\"%PATH%\""},
      {"", "", ""},
      {"", "x", ""},
      {"日本語 テキスト", "Vol.Ｅ", "ü%ü"},
      {"-t", "E829700C-27B0-447F-B852-1A3135DA31A7"},
  };
  for (const auto& program : kPrograms) {
    for (const auto& args : cases) require_round_trip(program, args);
  }
}

TEST_CASE("generated arguments reach the program unchanged") {
  const std::vector<std::string> pieces = {
      " ",  "\t", "\"",     "\\",       "\\\\", "&",  "|",    "<",    ">", "^", "%", "!",
      "(",  ")",  ",",      ";",        "=",    "a",  "Z",    "0",    "-", "/", ":", ".",
      "日", "ü",  "%PATH%", "%LKROOT%", "%CD",  "%%", "\\\"", "\"\\", "*", "?", "'", "~"};
  std::mt19937 rng(20261125);  // fixed: a failure is reproducible
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> count(0, 6);
  for (int round = 0; round < 3000; ++round) {
    std::vector<std::string> args(static_cast<std::size_t>(count(rng)));
    for (auto& a : args) {
      for (int n = count(rng); n > 0; --n) a += pieces[piece(rng)];
    }
    require_round_trip(kPrograms[static_cast<std::size_t>(round) % kPrograms.size()], args);
  }
}

TEST_CASE("a built-in gets its paths whole and literal") {
  const std::vector<std::string> paths = {
      "C:\\LK\\subsys\\filesys\\resources\\volume\\LKDRInfo.E",
      "C:\\Program Files\\x & y\\(a)^b!.txt",
      "C:\\100%\\%PATH%\\f,g;h=i.txt",
      "C:\\日本\\ファイル.txt",
  };
  for (const auto& path : paths) {
    std::string line = lkr::render_cmd_line(lkr::builtin("del", {"/q", path}));
    INFO("line: " << line);
    CmdReading r = read_like_cmd(line);
    CHECK_FALSE(r.unescaped_operator);
    CHECK(r.command_token == "del");
    CHECK(r.builtin_args == std::vector<std::string>{"/q", path});
  }
  CHECK(lkr::render_cmd_line(lkr::builtin("chcp", {})) == "chcp");
  CHECK(lkr::render_cmd_line(lkr::builtin("cd", {"/d", "C:\\LK"})) == "cd /d C:\\LK");
}

TEST_CASE("if exist puts the path in real quotes") {
  Command probe{CommandKind::if_exist, "if exist", {Arg{"C:\\LK\\a b&(c)^\\LKDRInfo.E"}}};
  std::string line = lkr::render_cmd_line(probe);
  CHECK(line == "if exist \"C:\\LK\\a b&(c)^\\LKDRInfo.E\" (echo yes) else (echo no)");
  // Nothing inside it is expanded by cmd's first phase.
  CHECK(cmdref::expand_percents(line, hostile_environment()) == line);
  Command with_percent{CommandKind::if_exist, "", {Arg{"C:\\100%\\x"}}};
  CHECK_THROWS_AS(lkr::render_cmd_line(with_percent), std::invalid_argument);
}

TEST_CASE("display masks secrets and shows the rest as rendered") {
  Command c = lkr::program("C:\\LK\\Bin\\tool.exe", {"-u", "admin"});
  c.args.push_back(Arg{"-p", false});
  c.args.push_back(Arg{"hunter2 & more", true});
  std::string shown = lkr::display(c);
  CHECK(shown == "C:\\LK\\Bin\\tool.exe -u admin -p ********");
  CHECK(shown.find("hunter2") == std::string::npos);
  CHECK(lkr::render_cmd_line(c).find("hunter2") != std::string::npos);

  Command b = lkr::builtin("type", {});
  b.args.push_back(Arg{"C:\\secret path.txt", true});
  CHECK(lkr::display(b) == "type ********");
  Command p{CommandKind::if_exist, "", {Arg{"C:\\secret", true}}};
  CHECK(lkr::display(p) == "if exist \"********\" (echo yes) else (echo no)");
}

TEST_CASE("lines cmd cannot carry are refused without revealing secrets") {
  for (const char* bad : {"pass\rword", "pass\nword", "pass\0word"}) {
    Command c = lkr::program("C:\\LK\\Bin\\tool.exe", {"-p"});
    c.args.push_back(Arg{std::string(bad, 9), true});
    try {
      lkr::render_cmd_line(c);
      FAIL("accepted an argument with NUL, CR or LF");
    } catch (const std::invalid_argument& e) {
      std::string what = e.what();
      CHECK(what.find("tool.exe") != std::string::npos);
      CHECK(what.find("argument 2") != std::string::npos);
      CHECK(what.find("pass") == std::string::npos);
      CHECK(what.find("word") == std::string::npos);
    }
    CHECK(lkr::display(c).find("pass") == std::string::npos);
  }
  CHECK_THROWS_AS(lkr::render_cmd_line(lkr::program("C:\\a\"b.exe", {})), std::invalid_argument);
  CHECK_THROWS_AS(lkr::render_cmd_line(lkr::program("", {})), std::invalid_argument);
  CHECK_THROWS_AS(lkr::render_cmd_line(lkr::builtin("del", {"C:\\a\"b"})), std::invalid_argument);
}

TEST_CASE("command lines over 8191 characters are refused") {
  // "p" + " " + N letters: 2 + N characters.
  CHECK(lkr::render_cmd_line(lkr::program("p", {std::string(8189, 'a')})).size() == 8191);
  try {
    Command c = lkr::program("p", {});
    c.args.push_back(Arg{std::string(8190, 'a'), true});
    lkr::render_cmd_line(c);
    FAIL("accepted a line of 8192 characters");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("8191") != std::string::npos);
    CHECK(std::string(e.what()).find("aaaa") == std::string::npos);
  }
  // Counted in UTF-16 units as cmd does: 3 UTF-8 bytes of 日 are one character.
  std::string japanese;
  for (int i = 0; i < 8189; ++i) japanese += "日";
  CHECK_NOTHROW(lkr::render_cmd_line(lkr::program("p", {japanese})));
  CHECK_THROWS_AS(lkr::render_cmd_line(lkr::program("p", {japanese + "日"})),
                  std::invalid_argument);
}

TEST_CASE("the length limit counts UTF-16 units after quoting, for every kind of command") {
  // U+1F600 is 4 UTF-8 bytes and a surrogate pair: two units, as cmd counts.
  std::string emoji;
  for (int i = 0; i < 4094; ++i) emoji += "\xF0\x9F\x98\x80";             // 8188 units
  CHECK_NOTHROW(lkr::render_cmd_line(lkr::program("p", {emoji + "a"})));  // 2 + 8189 = 8191
  CHECK_THROWS_AS(lkr::render_cmd_line(lkr::program("p", {emoji + "ab"})), std::invalid_argument);
  // Quoting counts: each `"` of an argument is sent as \^" (3 characters), and the
  // argument gains ^"...^" around it. "p " + 4 + 3n characters.
  std::size_t quotes = (8191 - 2 - 4) / 3;  // 2728 quotes: a line of 8190
  std::string line = lkr::render_cmd_line(lkr::program("p", {std::string(quotes, '"')}));
  CHECK(line.size() == 8190);
  CHECK_THROWS_AS(lkr::render_cmd_line(lkr::program("p", {std::string(quotes + 1, '"')})),
                  std::invalid_argument);
  // Built-ins and `if exist` are held to the same limit.
  std::string long_path = "C:\\" + std::string(8200, 'x');
  CHECK_THROWS_AS(lkr::render_cmd_line(lkr::builtin("del", {long_path})), std::invalid_argument);
  Command probe{CommandKind::if_exist, "if exist", {Arg{long_path}}};
  CHECK_THROWS_AS(lkr::render_cmd_line(probe), std::invalid_argument);
}

TEST_CASE("the refusal says which limit, by how much, and that nothing was sent") {
  try {
    lkr::render_cmd_line(lkr::program("C:\\LK\\Bin\\eqv_remove.exe", {std::string(9000, 'T')}));
    FAIL("accepted a line of over 9000 characters");
  } catch (const std::invalid_argument& e) {
    std::string what = e.what();
    CHECK(what.find("eqv_remove.exe") != std::string::npos);
    CHECK(what.find("9025") != std::string::npos);  // 24 + 1 + 9000: nothing to quote
    CHECK(what.find("cmd.exe accepts at most 8191") != std::string::npos);
    CHECK(what.find("Nothing was sent") != std::string::npos);
  }
  // Both limits, as numbers the rest of the product can rely on.
  CHECK(lkr::fits_cmd_limits(8191));
  CHECK_FALSE(lkr::fits_cmd_limits(8192));
  STATIC_REQUIRE(lkr::kCreateProcessMaxChars == 32767);
}

TEST_CASE("cases kept from the Wine conformance runs (tests/wine) read back unchanged") {
  // Minimal vectors from `wine_conformance argv`; under Wine they differed only by Wine's
  // caret-before-percent reading (DIVERGENCES.md W1). Here: Windows' documented order.
  const std::vector<std::vector<std::string>> cases = {
      {"%PATH%"},
      {"%ERRORLEVEL%"},
      {"%CD%"},
      {"<%PATH%%^%PATH%"},
      {"%NOPE%PATH%"},
      {"(?%^\xCE\xA9\\\\\\|", "", "/^", "?\xE3\x83\x86\xC3\xBC<%PATH%%ERRORLEVEL%"},
  };
  for (const auto& program : kPrograms)
    for (const auto& args : cases) require_round_trip(program, args);
}
