// Batches (command_batch.h): the cmd.exe line read back through the independent model of
// cmd (cmd_reference.h), the PowerShell script as documented, the length limits, and the
// splitting of a batch's output into one result per command, including every way the
// markers can come back wrong.
#include "transports/command_batch.h"

#include <catch2/catch.hpp>
#include <regex>
#include <stdexcept>

#include "tests/unit/transports/cmd_reference.h"
#include "transports/base64.h"
#include "transports/cmd_quoting.h"
#include "transports/powershell_quoting.h"
#include "transports/transport.h"
#include "transports/unicode_text.h"

using lkr::Arg;
using lkr::BatchOutputError;
using lkr::Command;
using lkr::CommandKind;
using lkr::CommandResult;
using lkr::Shell;

namespace {

// As long as every nonce new_batch_nonce makes: "LKR" and 32 hex digits.
const std::string kNonce = "LKR0123456789abcdef0123456789ABCDEF";

Command if_exist(const std::string& path) {
  return Command{CommandKind::if_exist, "if exist", {Arg{path}}};
}

// ---- the cmd.exe line, read as cmd reads it ----

cmdref::Environment hostile_environment() {
  cmdref::Environment env;
  env.vars = {{"PATH", "C:\\Windows\\system32"}, {"LKROOT", "C:\\LK"}, {"ERRORLEVEL", "0"}};
  env.hostile = true;
  return env;
}

// The line's commands as cmd's phase 2 separates them: at an `&` outside quotes, not
// escaped by a caret, outside parentheses, and not the `&` of a `>&` redirection.
std::vector<std::string> top_level_commands(const std::string& line) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  int depth = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (!quoted && c == '^' && i + 1 < line.size()) {
      parts.back() += line.substr(i, 2);
      ++i;
      continue;
    }
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '(') ++depth;
    if (!quoted && c == ')') --depth;
    REQUIRE(depth >= 0);
    if (!quoted && depth == 0 && c == '&' && (i == 0 || line[i - 1] != '>')) {
      parts.emplace_back();
      continue;
    }
    parts.back() += c;
  }
  CHECK(depth == 0);
  CHECK_FALSE(quoted);
  return parts;
}

std::vector<std::string> intended_argv(const Command& c) {
  std::vector<std::string> argv{c.program};
  for (const Arg& a : c.args) argv.push_back(a.text);
  return argv;
}

std::vector<std::string> arg_texts(const Command& c) {
  std::vector<std::string> texts;
  for (const Arg& a : c.args) texts.push_back(a.text);
  return texts;
}

// `inner`, the text between a command's parentheses, read as cmd and the program read it:
// nothing expands, no operator acts, and the program (or built-in) gets what was meant.
void require_reads_back(const Command& c, const std::string& inner) {
  INFO("command text: " << inner);
  CHECK(cmdref::expand_percents(inner, hostile_environment()) == inner);
  cmdref::Phase2 p2 = cmdref::carets_and_quotes(inner);
  CHECK_FALSE(p2.unescaped_operator);
  if (c.kind == CommandKind::program) {
    CHECK(p2.command_token == c.program);
    CHECK(cmdref::command_line_to_argv(p2.from_command) == intended_argv(c));
  } else {
    CHECK(p2.command_token == c.program);
    CHECK(cmdref::builtin_args(p2.tail) == arg_texts(c));
  }
}

// Command i's four parts, as cmd separates them: `(call )`, `(C)`, the stdout marker, the
// stderr marker.
void require_command_parts(const std::vector<std::string>& parts, std::size_t i, const Command& c) {
  const std::string n = std::to_string(i);
  const std::string lead = i == 0 ? "" : " ";
  CHECK(parts[4 * i] == lead + "(call ) ");
  const std::string& wrapped = parts[4 * i + 1];
  REQUIRE(wrapped.size() >= 4);
  CHECK(wrapped.substr(0, 2) == " (");
  CHECK(wrapped.substr(wrapped.size() - 2) == ") ");
  std::string inner = wrapped.substr(2, wrapped.size() - 4);
  if (c.kind == CommandKind::if_exist) {
    CHECK(inner == "if exist \"" + c.args[0].text + "\" (echo yes) else (echo no)");
  } else {
    require_reads_back(c, inner);
  }
  // The stdout marker: phase 2 leaves `%ERRORLEVEL%` for CALL, which expands it when it
  // runs, to the code of the command before it.
  const std::string& out_marker = parts[4 * i + 2];
  CHECK(out_marker == " call echo " + kNonce + " " + n + " %^ERRORLEVEL%^ ");
  std::string after_phase2 = cmdref::carets_and_quotes(out_marker).text;
  CHECK(after_phase2 == " call echo " + kNonce + " " + n + " %ERRORLEVEL% ");
  cmdref::Environment code_3{{{"ERRORLEVEL", "3"}}, false};
  CHECK(cmdref::expand_percents(after_phase2, code_3) == " call echo " + kNonce + " " + n + " 3 ");
  // The stderr marker; the blank before the next `&` is the separator's.
  const bool last = parts.size() == 4 * (i + 1);
  CHECK(parts[4 * i + 3] == " echo " + kNonce + " " + n + " 1>&2" + (last ? "" : " "));
}

const std::vector<std::string> kPrograms = {
    "C:\\LK\\Bin\\eqv_list.exe",
    "C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe",
    "reg",
    "C:\\odd (x86)\\a&b^c,d;e=f!g\\tool.exe",
    "C:\\プログラム\\ツール.exe",
};

// From the quoting tests (cmd_quoting_test.cpp): arguments cmd or CommandLineToArgvW
// would read as something else unless quoted and escaped exactly.
const std::vector<std::vector<std::string>> kHostileArgs = {
    {"Vol E data"},
    {"say \"hi\" now", "\"", "\"\"", "a\\\"b", "a\\\\\"b c"},
    {"trailing\\", "trailing space\\", "trailing\\\\ two\\\\"},
    {"A&B", "A|B", "A<B", "A>B", "A^B", "(A)", "A!B!", "a,b;c=d"},
    {"x y & hostname", "\" & hostname & \"", "^", "^^", "^\"", "\"^"},
    {"%PATH%", "%LKROOT%\\Bin", "50%", "%", "%%", "%%%", "100%%done", "%NO_SUCH%"},
    {"%PATH:~0,3%", "%=C:%", "%CD%%CD%", "a%b%c%d%e", "%\"%", "%^%", "\"%PATH%\""},
    {"%ERRORLEVEL%", "%^ERRORLEVEL%^", ") & echo " + kNonce + " 0 0"},
    {"", "x", ""},
    {"日本語 テキスト", "Vol.Ｅ", "ü%ü"},
};

std::vector<Command> hostile_batch() {
  std::vector<Command> batch;
  for (std::size_t i = 0; i < kHostileArgs.size(); ++i)
    batch.push_back(lkr::program(kPrograms[i % kPrograms.size()], kHostileArgs[i]));
  batch.push_back(lkr::builtin("type", {"C:\\Program Files\\x & y\\(a)^b!.txt"}));
  batch.push_back(lkr::builtin("del", {"/q", "C:\\100%\\%PATH%\\f,g;h=i.txt"}));
  batch.push_back(if_exist("C:\\LK\\a b&(c)^\\LKDRInfo.E"));
  batch.push_back(lkr::builtin("set", {"LK"}));
  return batch;
}

// ---- the output of a batch, as each shell prints its markers ----

struct Printed {
  std::string out, err;
  int code = 0;
};

// What a batch of `parts` prints: each command's output, then its markers. cmd's echo
// keeps the blank before `&` (the stdout marker's is caret-escaped, the stderr one's is
// before `1>&2`); PowerShell writes the markers with nothing after the code.
CommandResult printed(const std::vector<Printed>& parts, Shell shell) {
  const std::string blank = shell == Shell::cmd ? " " : "";
  CommandResult whole;
  whole.exit_code = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string n = std::to_string(i);
    whole.stdout_utf8 +=
        parts[i].out + kNonce + " " + n + " " + std::to_string(parts[i].code) + blank + "\r\n";
    whole.stderr_utf8 += parts[i].err + kNonce + " " + n + blank + "\r\n";
  }
  whole.start = std::chrono::system_clock::time_point(std::chrono::seconds(1000));
  whole.end = std::chrono::system_clock::time_point(std::chrono::seconds(1003));
  return whole;
}

void require_split_as_printed(const std::vector<Printed>& parts, Shell shell) {
  CommandResult whole = printed(parts, shell);
  auto results = lkr::split_batch_output(whole, parts.size(), kNonce);
  REQUIRE(results.size() == parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    INFO("command " << i);
    CHECK(results[i].exit_code == parts[i].code);
    CHECK(results[i].stdout_utf8 == parts[i].out);
    CHECK(results[i].stderr_utf8 == parts[i].err);
    CHECK(results[i].start == whole.start);
    CHECK(results[i].end == whole.end);
    CHECK_FALSE(results[i].truncated);
  }
}

// What split_batch_output throws for `whole`; the test fails when it accepts it.
BatchOutputError refusal(const CommandResult& whole, std::size_t count) {
  try {
    lkr::split_batch_output(whole, count, kNonce);
  } catch (const BatchOutputError& e) {
    return e;
  }
  FAIL("the output was accepted");
  throw std::logic_error("unreachable");
}

void require_refused(const CommandResult& whole, std::size_t count, const std::string& excerpt,
                     const std::string& why) {
  BatchOutputError e = refusal(whole, count);
  INFO(e.what());
  CHECK(std::string(e.what()).find(why) != std::string::npos);
  CHECK(e.raw_line == excerpt.substr(0, 200));
}

const std::vector<Printed> kThree = {
    {"first\r\n", "", 0}, {"second\r\n", "warning\r\n", 3}, {"third\r\n", "", 255}};

}  // namespace

TEST_CASE("a cmd batch is each command between its markers, in the documented form") {
  // Derived by hand from command_batch.h's form.
  std::vector<Command> two = {lkr::program("C:\\LK\\Bin\\eqv_list.exe", {}),
                              lkr::builtin("type", {"C:\\LK\\x.txt"})};
  CHECK(lkr::render_batch_line(two, Shell::cmd, "LKR7") ==
        "(call ) & (C:\\LK\\Bin\\eqv_list.exe) & call echo LKR7 0 %^ERRORLEVEL%^ & echo LKR7 0 "
        "1>&2 & (call ) & (type C:\\LK\\x.txt) & call echo LKR7 1 %^ERRORLEVEL%^ & echo LKR7 1 "
        "1>&2");
  // An `if` sits in parentheses too: its else branch ends at the closing one.
  CHECK(lkr::render_batch_line({if_exist("C:\\a b\\x.E")}, Shell::cmd, "N") ==
        "(call ) & (if exist \"C:\\a b\\x.E\" (echo yes) else (echo no)) & call echo N 0 "
        "%^ERRORLEVEL%^ & echo N 0 1>&2");
}

TEST_CASE("the /c quote rule never applies to a batch, whatever its first command") {
  // Alone, a quoted program token gets one more pair of quotes for /c to strip.
  Command spaced = lkr::program("C:\\P Q\\x.exe", {"a"});
  REQUIRE(lkr::render_cmd_line(spaced) == "\"\"C:\\P Q\\x.exe\" a\"");
  std::string line = lkr::render_batch_line({spaced, spaced}, Shell::cmd, kNonce);
  CHECK(line.rfind("(call ) & (\"C:\\P Q\\x.exe\" a) & ", 0) == 0);
  CHECK(line.find("(\"\"") == std::string::npos);
  CHECK(cmdref::strip_slash_c_quotes(line) == line);
  auto parts = top_level_commands(line);
  REQUIRE(parts.size() == 8);
  require_command_parts(parts, 0, spaced);
  require_command_parts(parts, 1, spaced);
}

TEST_CASE("hostile arguments keep their meaning inside a cmd batch") {
  std::vector<Command> batch = hostile_batch();
  std::string line = lkr::render_batch_line(batch, Shell::cmd, kNonce);
  INFO("line: " << line);
  // Every % of the line is followed by a caret, so no pair of percents, within a command
  // or across commands and markers, names a variable phase 1 could expand.
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] == '%') CHECK(line.substr(i, 2) == "%^");
  CHECK(cmdref::expand_percents(line, hostile_environment()) == line);
  CHECK(cmdref::strip_slash_c_quotes(line) == line);
  auto parts = top_level_commands(line);
  REQUIRE(parts.size() == 4 * batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    INFO("command " << i);
    require_command_parts(parts, i, batch[i]);
  }
}

TEST_CASE("a batch refuses what the single-command renderers refuse") {
  for (Shell shell : {Shell::cmd, Shell::powershell}) {
    CHECK_THROWS_AS(lkr::render_batch_line({}, shell, kNonce), std::invalid_argument);
    Command bad = lkr::program("C:\\LK\\Bin\\tool.exe", {});
    bad.args.push_back(Arg{"pass\nword", true});
    try {
      lkr::render_batch_line({lkr::builtin("chcp", {}), bad}, shell, kNonce);
      FAIL("accepted an argument with LF");
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()).find("argument 1") != std::string::npos);
      CHECK(std::string(e.what()).find("pass") == std::string::npos);
    }
  }
  CHECK_THROWS_AS(lkr::render_batch_line({lkr::builtin("set", {"A=B"})}, Shell::cmd, kNonce),
                  std::invalid_argument);
  CHECK_THROWS_AS(
      lkr::render_batch_line({lkr::builtin("cd", {"/d", "C:\\"})}, Shell::powershell, kNonce),
      std::invalid_argument);
  // The PowerShell markers sit in a single-quoted string: letters and digits only.
  CHECK_THROWS_AS(lkr::render_batch_line({lkr::builtin("chcp", {})}, Shell::powershell, "LKR'x"),
                  std::invalid_argument);
}

TEST_CASE("a cmd batch is held to cmd's 8191 UTF-16 units, all commands together") {
  // Structure per command: (call ) & (C) & call echo N 0 %^ERRORLEVEL%^ & echo N 0 1>&2
  const std::size_t around = std::string_view("(call ) & (").size() +
                             std::string_view(") & call echo ").size() + kNonce.size() +
                             std::string_view(" 0 %^ERRORLEVEL%^ & echo ").size() + kNonce.size() +
                             std::string_view(" 0 1>&2").size();
  // "p " + k letters: nothing to quote.
  const std::size_t k = lkr::kCmdMaxLineChars - around - 2;
  std::vector<Command> at_limit = {lkr::program("p", {std::string(k, 'a')})};
  CHECK(lkr::render_batch_line(at_limit, Shell::cmd, kNonce).size() == lkr::kCmdMaxLineChars);
  CHECK(lkr::batch_fits(at_limit, Shell::cmd));
  std::vector<Command> over = {lkr::program("p", {std::string(k + 1, 'a')})};
  CHECK_FALSE(lkr::batch_fits(over, Shell::cmd));
  CHECK_THROWS_AS(lkr::render_batch_line(over, Shell::cmd, kNonce), std::invalid_argument);
  // Counted in UTF-16 units: 日 is 3 bytes of UTF-8 and one unit.
  std::string japanese;
  for (std::size_t i = 0; i < k; ++i) japanese += "日";
  CHECK(lkr::batch_fits({lkr::program("p", {japanese})}, Shell::cmd));
  CHECK_FALSE(lkr::batch_fits({lkr::program("p", {japanese + "日"})}, Shell::cmd));
  // Two commands that each fit a line alone, and together do not.
  Command half = lkr::program("p", {std::string(k / 2, 'a')});
  CHECK_NOTHROW(lkr::render_cmd_line(half));
  CHECK(lkr::batch_fits({half}, Shell::cmd));
  CHECK_FALSE(lkr::batch_fits({half, half}, Shell::cmd));
  CHECK_THROWS_AS(lkr::render_batch_line({half, half}, Shell::cmd, kNonce), std::invalid_argument);
  // PowerShell is not cmd: the same two fit its line (CreateProcess's limit).
  CHECK(lkr::batch_fits({half, half}, Shell::powershell));
}

TEST_CASE("a PowerShell batch is the documented script, each command in a try") {
  std::string line = lkr::render_batch_line(
      {if_exist("C:\\it's\\x.E"), lkr::builtin("del", {"/q", "C:\\x"})}, Shell::powershell, "LKR9");
  REQUIRE(line.rfind(std::string(lkr::kPowershellLinePrefix), 0) == 0);
  auto bytes = lkr::base64_decode(line.substr(lkr::kPowershellLinePrefix.size()));
  REQUIRE(bytes);
  const std::string markers_0 =
      " } } catch { [Console]::Error.WriteLine($_.ToString()); $c = 1 }; "
      "[Console]::Out.Write($m + ' 0 ' + $c + \"`r`n\"); [Console]::Error.Write($m + ' 0' + "
      "\"`r`n\"); ";
  const std::string markers_1 =
      " } } catch { [Console]::Error.WriteLine($_.ToString()); $c = 1 }; "
      "[Console]::Out.Write($m + ' 1 ' + $c + \"`r`n\"); [Console]::Error.Write($m + ' 1' + "
      "\"`r`n\"); ";
  CHECK(lkr::utf8_from_utf16le(*bytes) ==
        "$ErrorActionPreference = 'Stop'; $m = 'LKR9'; try { $c = & { if (Test-Path "
        "-LiteralPath 'C:\\it''s\\x.E') { [Console]::Out.Write(\"yes`r`n\") } else { "
        "[Console]::Out.Write(\"no`r`n\") }; 0" +
            markers_0 + "try { $c = & { Remove-Item -LiteralPath 'C:\\x' -Force; 0" + markers_1);
}

TEST_CASE("a PowerShell batch is held to CreateProcess's limit") {
  // Script for program "p" and one argument of n letters (documented form).
  const std::size_t around =
      std::string_view("$ErrorActionPreference = 'Stop'; $m = '").size() + kNonce.size() +
      std::string_view(
          "'; try { $c = & { $i = New-Object System.Diagnostics.ProcessStartInfo; "
          "$i.FileName = 'p'; $i.Arguments = ''; $i.UseShellExecute = $false; $p = "
          "[System.Diagnostics.Process]::Start($i); $p.WaitForExit(); $p.ExitCode } "
          "} catch { [Console]::Error.WriteLine($_.ToString()); $c = 1 }; "
          "[Console]::Out.Write($m + ' 0 ' + $c + \"`r`n\"); "
          "[Console]::Error.Write($m + ' 0' + \"`r`n\"); ")
          .size();
  auto line_length = [&](std::size_t n) {
    return lkr::kPowershellLinePrefix.size() + 4 * ((2 * (around + n) + 2) / 3);
  };
  const std::size_t room = lkr::kCreateProcessMaxChars - lkr::kPowershellProcessPrefixMaxChars - 1;
  std::size_t n = 0;
  while (line_length(n + 1) <= room) ++n;
  std::vector<Command> at_limit = {lkr::program("p", {std::string(n, 'a')})};
  CHECK(lkr::render_batch_line(at_limit, Shell::powershell, kNonce).size() == line_length(n));
  CHECK(lkr::batch_fits(at_limit, Shell::powershell));
  std::vector<Command> over = {lkr::program("p", {std::string(n + 1, 'a')})};
  CHECK_FALSE(lkr::batch_fits(over, Shell::powershell));
  CHECK_THROWS_AS(lkr::render_batch_line(over, Shell::powershell, kNonce), std::invalid_argument);
}

TEST_CASE("a batch's output splits into each command's own output and exit code") {
  for (Shell shell : {Shell::cmd, Shell::powershell}) {
    INFO("shell " << lkr::to_string(shell));
    require_split_as_printed(kThree, shell);
    // 9009: cmd's "not recognized"; a crash's NTSTATUS as cmd shows it (signed); the
    // ends of a 32-bit code.
    require_split_as_printed({{"", "'x' is not recognized\r\n", 9009},
                              {"", "", -1073741819},
                              {"", "", 2147483647},
                              {"", "", -2147483647 - 1},
                              {"", "", -1}},
                             shell);
    // Output with no final newline: the marker follows on the same line.
    require_split_as_printed({{"no newline", "no newline either", 0}, {"x\r\ny", "", 7}}, shell);
    // Nothing printed at all, by any command.
    require_split_as_printed({{"", "", 0}, {"", "", 0}, {"", "", 0}}, shell);
    // Text that looks like a marker of another batch, or of no batch, is output.
    require_split_as_printed(
        {{"LKRffffffffffffffffffffffffffffffff 0 5\r\n" + kNonce.substr(0, 9) + " 0 5\r\n",
          "LKRffffffffffffffffffffffffffffffff 0\r\n", 1}},
        shell);
  }
}

TEST_CASE("a missing marker refuses the whole batch") {
  CommandResult whole = printed(kThree, Shell::cmd);
  std::string last = kNonce + " 2 255 \r\n";
  whole.stdout_utf8.erase(whole.stdout_utf8.size() - last.size());
  require_refused(whole, 3, "third\r\n", "marker 2 on stdout is missing");

  whole = printed(kThree, Shell::powershell);
  whole.stderr_utf8.erase(whole.stderr_utf8.find(kNonce + " 1"));
  require_refused(whole, 3, "warning\r\n", "marker 1 on stderr is missing");
  // A batch of more commands than the line carried.
  require_refused(printed(kThree, Shell::cmd), 4, "", "marker 3 on stdout is missing");
}

TEST_CASE("markers out of order or repeated refuse the whole batch") {
  CommandResult whole = printed({{"a", "", 0}, {"b", "", 1}}, Shell::cmd);
  std::string m0 = kNonce + " 0 0 \r\n", m1 = kNonce + " 1 1 \r\n";
  whole.stdout_utf8 = "a" + m1 + "b" + m0;
  require_refused(whole, 2, m1 + "b" + m0, "marker 0 on stdout is out of order");

  whole = printed({{"a", "", 0}, {"b", "", 1}}, Shell::cmd);
  whole.stdout_utf8 = "a" + m0 + "b" + m0;
  require_refused(whole, 2, m0, "marker 1 on stdout is out of order");

  whole = printed({{"a", "e0", 0}, {"b", "e1", 1}}, Shell::powershell);
  whole.stderr_utf8 = "e0" + kNonce + " 1\r\ne1" + kNonce + " 0\r\n";
  require_refused(whole, 2, kNonce + " 1\r\ne1" + kNonce + " 0\r\n", "marker 0 on stderr");
}

TEST_CASE("a stdout marker without an exit code refuses the whole batch") {
  // As cmd would print it had phase 1 not left %ERRORLEVEL% to CALL (or CALL not expanded).
  for (const std::string& marker :
       {kNonce + " 0 %ERRORLEVEL% \r\n", kNonce + " 0 \r\n", kNonce + " 0\r\n", kNonce + " 0 -\r\n",
        kNonce + " 0 +5\r\n", kNonce + " 0 999999999999\r\n"}) {
    INFO(marker);
    CommandResult whole = printed({{"out", "", 0}}, Shell::cmd);
    whole.stdout_utf8 = "out" + marker;
    require_refused(whole, 1, marker, "carries no exit code");
  }
  // Digits that are no 32-bit exit code, and digits followed by more text.
  CommandResult whole = printed({{"", "", 0}}, Shell::cmd);
  whole.stdout_utf8 = kNonce + " 0 2147483648\r\n";
  require_refused(whole, 1, whole.stdout_utf8, "out of range");
  whole.stdout_utf8 = kNonce + " 0 -2147483649\r\n";
  require_refused(whole, 1, whole.stdout_utf8, "out of range");
  whole.stdout_utf8 = kNonce + " 0 3abc\r\n";
  require_refused(whole, 1, whole.stdout_utf8, "followed by unexpected text");
}

TEST_CASE("text after the last marker refuses the whole batch") {
  CommandResult whole = printed(kThree, Shell::cmd);
  whole.stdout_utf8 += "late output\r\n";
  require_refused(whole, 3, "late output\r\n", "text follows the batch's last marker on stdout");
  whole = printed(kThree, Shell::powershell);
  std::string junk(1000, 'j');
  whole.stderr_utf8 += junk;
  // The excerpt is bounded: a flood after the markers is not copied whole into errors.
  require_refused(whole, 3, junk, "text follows the batch's last marker on stderr");
}

TEST_CASE("a truncated batch output is refused, even when its markers survived") {
  // Cut in the middle (the transport keeps the head of a capped stream).
  CommandResult whole = printed(kThree, Shell::cmd);
  whole.stdout_utf8.resize(whole.stdout_utf8.find("second") + 3);
  whole.truncated = true;
  BatchOutputError cut = refusal(whole, 3);
  CHECK_FALSE(cut.raw_line.empty());
  CHECK(cut.raw_line.size() <= 200);
  // Cut after the last marker: every marker is there, but the cap dropped output, and
  // which command's is unknown.
  whole = printed(kThree, Shell::powershell);
  whole.truncated = true;
  BatchOutputError capped = refusal(whole, 3);
  CHECK(std::string(capped.what()).find("capped") != std::string::npos);
  CHECK_FALSE(capped.raw_line.empty());
  CHECK(capped.raw_line.size() <= 200);
}

TEST_CASE("each batch line gets a fresh nonce of the documented form") {
  std::string a = lkr::new_batch_nonce(), b = lkr::new_batch_nonce();
  CHECK(std::regex_match(a, std::regex("LKR[0-9a-f]{32}")));
  CHECK(std::regex_match(b, std::regex("LKR[0-9a-f]{32}")));
  CHECK(a != b);
  CHECK(a.size() == kNonce.size());
}
