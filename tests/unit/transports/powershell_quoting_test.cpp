// The PowerShell renderer, read back through an independent reference of what Windows
// does with the line: base64 -> UTF-16LE -> the script; PowerShell's single-quoted
// strings (about_Quoting_Rules: any of ' U+2018 U+2019 U+201A U+201B ends the string
// unless a second one follows, which is kept); then CommandLineToArgvW on
// `"FileName" Arguments`, as .NET's Process.Start hands it to CreateProcess.
#include "transports/powershell_quoting.h"

#include <catch2/catch.hpp>
#include <random>
#include <stdexcept>

#include "tests/unit/transports/cmd_reference.h"
#include "transports/cmd_quoting.h"
#include "transports/command_line.h"

using lkr::Arg;
using lkr::Command;
using lkr::CommandKind;

namespace {

std::string base64_decode(std::string_view text) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == '=') break;
    auto v = alphabet.find(c);
    REQUIRE(v != std::string::npos);
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return out;
}

std::u32string from_utf16le(std::string_view bytes) {
  REQUIRE(bytes.size() % 2 == 0);
  std::u32string out;
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    char32_t u =
        static_cast<unsigned char>(bytes[i]) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    if (u >= 0xD800 && u <= 0xDBFF) {
      REQUIRE(i + 3 < bytes.size());
      char32_t lo = static_cast<unsigned char>(bytes[i + 2]) |
                    (static_cast<unsigned char>(bytes[i + 3]) << 8);
      u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      i += 2;
    }
    out += u;
  }
  return out;
}

std::string to_utf8(const std::u32string& s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

bool is_single_quote(char32_t c) {
  return c == U'\'' || c == 0x2018 || c == 0x2019 || c == 0x201A || c == 0x201B;
}

// The script as PowerShell's tokenizer would see it: the code outside string literals
// (each literal replaced by `@`) and the literals' values, in order.
struct Tokens {
  std::string code;
  std::vector<std::string> literals;
};

Tokens read_script(const std::u32string& script) {
  Tokens t;
  for (std::size_t i = 0; i < script.size(); ++i) {
    char32_t c = script[i];
    // Only what the renderer may emit outside literals: no $( ), no double quotes,
    // backticks, comments or here-strings (each would need more than this reference).
    REQUIRE(c != U'"');
    REQUIRE(c != U'`');
    REQUIRE(c != U'#');
    if (!is_single_quote(c)) {
      t.code += to_utf8(std::u32string(1, c));
      continue;
    }
    std::u32string value;
    for (++i;; ++i) {
      REQUIRE(i < script.size());  // an unterminated string is a parse error
      if (is_single_quote(script[i])) {
        if (i + 1 < script.size() && is_single_quote(script[i + 1])) {
          value += script[++i];
          continue;
        }
        break;
      }
      value += script[i];
    }
    t.code += '@';
    t.literals.push_back(to_utf8(value));
  }
  return t;
}

Tokens decode_line(const std::string& line) {
  std::string prefix(lkr::kPowershellLinePrefix);
  REQUIRE(line.compare(0, prefix.size(), prefix) == 0);
  std::string b64 = line.substr(prefix.size());
  REQUIRE(
      b64.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
      std::string::npos);
  return read_script(from_utf16le(base64_decode(b64)));
}

constexpr std::string_view kStartCode =
    "$ErrorActionPreference = @; $i = New-Object System.Diagnostics.ProcessStartInfo; "
    "$i.FileName = @; $i.Arguments = @; $i.UseShellExecute = $false; "
    "$p = [System.Diagnostics.Process]::Start($i); $p.WaitForExit(); exit $p.ExitCode";

// The argv the started program receives.
std::vector<std::string> started_argv(const std::string& line) {
  Tokens t = decode_line(line);
  REQUIRE(t.code == kStartCode);
  REQUIRE(t.literals.size() == 3);
  CHECK(t.literals[0] == "Stop");
  std::string command_line = "\"" + t.literals[1] + "\"";
  if (!t.literals[2].empty()) command_line += " " + t.literals[2];
  return cmdref::command_line_to_argv(command_line);
}

void require_round_trip(const std::string& program, const std::vector<std::string>& args) {
  std::string line = lkr::render_powershell_line(lkr::program(program, args));
  INFO("program: " << program);
  std::vector<std::string> expected{program};
  expected.insert(expected.end(), args.begin(), args.end());
  CHECK(started_argv(line) == expected);
}

const std::string kQuotes = "'\u2018\u2019\u201A\u201B";

}  // namespace

TEST_CASE("PowerShell lines start powershell.exe with an encoded script and nothing else") {
  std::string line =
      lkr::render_powershell_line(lkr::program("C:\\LK\\Bin\\eqv_list.exe", {"-f\t"}));
  CHECK(line.rfind("powershell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted "
                   "-EncodedCommand ",
                   0) == 0);
  // Nothing any outer shell (PowerShell over SSH, cmd.exe over WinRM) treats as syntax.
  CHECK(line.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= -") ==
        std::string::npos);
  // Through the one place the shell chooses the renderer.
  CHECK(lkr::render_command_line(lkr::program("C:\\LK\\Bin\\eqv_list.exe", {"-f\t"}),
                                 lkr::Shell::powershell) == line);
  CHECK(lkr::render_command_line(lkr::program("C:\\LK\\Bin\\eqv_list.exe", {"-f\t"}),
                                 lkr::Shell::cmd) ==
        lkr::render_cmd_line(lkr::program("C:\\LK\\Bin\\eqv_list.exe", {"-f\t"})));
}

TEST_CASE("hostile arguments reach the program unchanged through PowerShell") {
  const std::vector<std::string> hostile = {"",
                                            "a b",
                                            "\t",
                                            "'",
                                            "''",
                                            "\u2018x\u2019",
                                            "\u201A\u201B",
                                            kQuotes + kQuotes,
                                            "$env:PATH",
                                            "$(calc)",
                                            "`n`",
                                            "a;b",
                                            "a & b | c",
                                            "\"",
                                            "\\\"",
                                            "a\\",
                                            "a\\\\",
                                            "C:\\dir\\",
                                            "\\\\server\\share\\",
                                            "%PATH%",
                                            "@(1)",
                                            "{x}",
                                            "-EncodedCommand",
                                            "--%",
                                            "日本語 テスト",
                                            "\xF0\x9F\x98\x80",
                                            "x'\"$`;\\"};
  for (const auto& program : {std::string("C:\\LK\\Bin\\eqv_remove.exe"),
                              std::string("C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe"),
                              std::string("reg"), std::string("C:\\it's\u2019 (x86)\\$a;b`c.exe"),
                              std::string("C:\\プログラム\\ツール.exe")}) {
    require_round_trip(program, hostile);
    for (const auto& a : hostile) require_round_trip(program, {a});
    require_round_trip(program, {});
    require_round_trip(program, {"", "", ""});  // empty arguments are kept, not dropped
  }
}

TEST_CASE("random argument vectors round-trip through the PowerShell renderer") {
  std::mt19937 rng(20261126);
  const std::vector<std::string> pieces = {"a", " ",      "\t",     "\\",     "\"",
                                           "'", "\u2018", "\u2019", "\u201A", "\u201B",
                                           "$", "`",      ";",      "&",      "|",
                                           "(", ")",      "{",      "}",      "%",
                                           "@", "#",      "日",     "é",      "\xF0\x9F\x98\x80"};
  for (int n = 0; n < 2000; ++n) {
    std::vector<std::string> args(rng() % 5);
    for (auto& a : args)
      for (auto k = rng() % 8; k > 0; --k) a += pieces[rng() % pieces.size()];
    require_round_trip("C:\\LK\\Bin\\eqv_remove.exe", args);
  }
}

TEST_CASE("built-ins become their PowerShell forms with the path as one literal") {
  std::string path = "C:\\LK\\subsys\\it's \u2019$x`;\\LKDRInfo.E";
  Command probe{CommandKind::if_exist, "if exist", {Arg{path}}};
  Tokens e = decode_line(lkr::render_powershell_line(probe));
  CHECK(e.code == "$ErrorActionPreference = @; if (Test-Path -LiteralPath @) { @ } else { @ }");
  CHECK(e.literals == std::vector<std::string>{"Stop", path, "yes", "no"});

  Tokens d = decode_line(lkr::render_powershell_line(lkr::builtin("del", {"/q", path})));
  CHECK(d.code == "$ErrorActionPreference = @; Remove-Item -LiteralPath @ -Force");
  CHECK(d.literals == std::vector<std::string>{"Stop", path});

  Tokens t = decode_line(lkr::render_powershell_line(lkr::builtin("type", {path})));
  CHECK(t.code ==
        "$ErrorActionPreference = @; $b = [System.IO.File]::ReadAllBytes(@); "
        "if ($b.Length -ge 2 -and $b[0] -eq 0xFF -and $b[1] -eq 0xFE) { $b = "
        "[Console]::OutputEncoding.GetBytes([System.Text.Encoding]::Unicode.GetString($b, 2, "
        "$b.Length - 2)) }; "
        "$o = [Console]::OpenStandardOutput(); $o.Write($b, 0, $b.Length); $o.Flush()");
  CHECK(t.literals == std::vector<std::string>{"Stop", path});

  CHECK(started_argv(lkr::render_powershell_line(lkr::builtin("hostname", {}))) ==
        std::vector<std::string>{"hostname.exe"});
  CHECK(started_argv(lkr::render_powershell_line(lkr::builtin("chcp", {}))) ==
        std::vector<std::string>{"chcp.com"});
}

TEST_CASE("what PowerShell cannot carry or has no form for is refused, naming no value") {
  CHECK_THROWS_AS(lkr::render_powershell_line(lkr::program("C:\\a\"b.exe", {})),
                  std::invalid_argument);
  CHECK_THROWS_AS(lkr::render_powershell_line(lkr::program("", {})), std::invalid_argument);
  CHECK_THROWS_AS(lkr::render_powershell_line(lkr::builtin("cd", {"/d", "C:\\"})),
                  std::invalid_argument);
  CHECK_THROWS_AS(lkr::render_powershell_line(lkr::builtin("del", {"/s", "C:\\x"})),
                  std::invalid_argument);
  CHECK_THROWS_AS(lkr::render_powershell_line(lkr::builtin("del", {"C:\\x", "C:\\y"})),
                  std::invalid_argument);
  CHECK_THROWS_AS(lkr::render_powershell_line(lkr::program("p", {"\xC3"})), std::invalid_argument);
  for (const std::string& bad :
       {std::string("a\nb"), std::string("a\rb"), std::string("secret\0x", 8)}) {
    Command c = lkr::program("p", {});
    c.args.push_back(Arg{bad, true});
    try {
      lkr::render_powershell_line(c);
      FAIL("accepted an argument with NUL, CR or LF");
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()).find("argument 1") != std::string::npos);
      CHECK(std::string(e.what()).find("secret") == std::string::npos);
    }
  }
}

TEST_CASE("the PowerShell line is held to CreateProcess's limit before sending") {
  // Script length in UTF-16 units for program "p" and one argument of n letters, from
  // the template; the line is the prefix and 4 base64 characters per 3 bytes.
  const std::size_t around = std::string_view(
                                 "$ErrorActionPreference = 'Stop'; $i = New-Object "
                                 "System.Diagnostics.ProcessStartInfo; $i.FileName = 'p'; "
                                 "$i.Arguments = ''; $i.UseShellExecute = $false; $p = "
                                 "[System.Diagnostics.Process]::Start($i); $p.WaitForExit(); "
                                 "exit $p.ExitCode")
                                 .size();
  auto line_length = [&](std::size_t n) {
    return lkr::kPowershellLinePrefix.size() + 4 * ((2 * (around + n) + 2) / 3);
  };
  const std::size_t room = lkr::kCreateProcessMaxChars - lkr::kPowershellProcessPrefixMaxChars - 1;
  std::size_t n = 0;
  while (line_length(n + 1) <= room) ++n;
  CHECK(lkr::render_powershell_line(lkr::program("p", {std::string(n, 'a')})).size() ==
        line_length(n));
  try {
    lkr::render_powershell_line(lkr::program("p", {std::string(n + 1, 'a')}));
    FAIL("accepted a line over CreateProcess's limit");
  } catch (const std::invalid_argument& e) {
    std::string what = e.what();
    CHECK(what.find("32767") != std::string::npos);
    CHECK(what.find("Nothing was sent") != std::string::npos);
    CHECK(what.find("aaaa") == std::string::npos);
  }
  // Japanese counts two bytes a character in UTF-16LE, as ASCII does: the same limit.
  std::string japanese;
  for (std::size_t i = 0; i < n; ++i) japanese += "日";
  CHECK_NOTHROW(lkr::render_powershell_line(lkr::program("p", {japanese})));
  CHECK_THROWS_AS(lkr::render_powershell_line(lkr::program("p", {japanese + "日"})),
                  std::invalid_argument);
}
