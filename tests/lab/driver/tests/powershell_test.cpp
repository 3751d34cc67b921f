// Nodes whose default shell is PowerShell (LAB.md "default_shell": "powershell"), over
// real sshd and the OpenSSH client: lines rendered by the product's PowerShell renderer
// (transports/powershell_quoting.h) run as Windows would run them, and the argv each
// program receives, read back from the journal, is exactly the intended one. Anything
// outside the emitted subset is refused with exit code 1 and runs nothing.
#include "tests/lab/node/powershell.h"

#include <catch2/catch.hpp>

#include "tests/lab/driver/tests/lab_fixture.h"
#include "tests/lab/node/codepage.h"
#include "transports/command.h"
#include "transports/powershell_quoting.h"

using lab::testing::LabFixture;
using lab::testing::lf;
using nlohmann::json;

namespace {

const std::string kScenario = std::string(LAB_SCENARIO_DIR) + "/powershell.json";
const std::string kNode = "BENHOGAN2008";
const std::string kLkdr = "C:\\LK\\subsys\\filesys\\resources\\volume\\LKDRInfo.E";

std::string base64(const std::string& bytes) {
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? alphabet[n & 63] : '=';
  }
  return out;
}

// A hand-written script, encoded the way the renderer encodes its own.
std::string encoded_line(const std::string& script) {
  return std::string(lkr::kPowershellLinePrefix) + base64(lab::utf8_to_utf16le(script));
}

json journal(const LabFixture& fx) { return fx.dump(kNode)["journal"]; }

}  // namespace

TEST_CASE("programs started by the PowerShell renderer get exactly the intended argv") {
  LabFixture fx(kScenario);
  // One hostile -t value at a time: ins_list refuses extra operands.
  const std::vector<std::string> values = {
      "Vol E data",     "",          "it's",         "\u2018curly\u2019 \u201Alow\u201B",
      "say \"hi\" now", "C:\\dir\\", "a\\\\",        "$env:PATH",
      "$(calc)",        "`n`",       "a;b",          "A&B|C",
      "%LKROOT%",       "--%",       "日本語 テスト"};
  for (const auto& value : values) {
    auto line =
        lkr::render_powershell_line(lkr::program("C:\\LK\\Bin\\ins_list.exe", {"-t", value}));
    auto r = fx.ssh(kNode, line);
    INFO(value << " / " << r.err);
    CHECK(journal(fx).back()["argv"] == json::array({"C:\\LK\\Bin\\ins_list.exe", "-t", value}));
  }
  // The program's exit code is powershell's; the built-ins that are programs run too.
  auto bad =
      fx.ssh(kNode, lkr::render_powershell_line(lkr::program("C:\\LK\\Bin\\eqv_list.exe", {"-x"})));
  CHECK(bad.rc == 2);  // E13: a syntax error
  CHECK(bad.err.find("Usage: eqv_list") != std::string::npos);
  auto host = fx.ssh(kNode, lkr::render_powershell_line(lkr::builtin("hostname", {})));
  CHECK(host.rc == 0);
  CHECK(lf(host.out) == kNode + "\n");
  auto chcp = fx.ssh(kNode, lkr::render_powershell_line(lkr::builtin("chcp", {})));
  CHECK(lf(chcp.out) == "Active code page: 437\n");
  // A program that does not exist fails as Process.Start does, with a non-zero exit.
  auto missing = fx.ssh(kNode, lkr::render_powershell_line(lkr::program("C:\\nope.exe", {})));
  CHECK(missing.rc == 1);
  CHECK(missing.err.find("cannot find the file") != std::string::npos);
}

TEST_CASE("Test-Path, Remove-Item and the raw read answer as the runbook's steps need") {
  LabFixture fx(kScenario);
  lkr::Command probe{lkr::CommandKind::if_exist, "if exist", {lkr::Arg{kLkdr}}};
  auto present = fx.ssh(kNode, lkr::render_powershell_line(probe));
  CHECK(present.rc == 0);
  CHECK(lf(present.out) == "yes\n");

  auto del = fx.ssh(kNode, lkr::render_powershell_line(lkr::builtin("del", {kLkdr})));
  CHECK(del.rc == 0);
  CHECK(journal(fx).back()["argv"] ==
        json::array({"Remove-Item", "-LiteralPath", kLkdr, "-Force"}));
  json files = fx.dump(kNode)["files"];
  CHECK(files.dump().find("LKDRInfo.E") == std::string::npos);
  CHECK(lf(fx.ssh(kNode, lkr::render_powershell_line(probe)).out) == "no\n");
  // Unlike cmd's del, Remove-Item of a missing file is an error.
  auto again = fx.ssh(kNode, lkr::render_powershell_line(lkr::builtin("del", {kLkdr})));
  CHECK(again.rc == 1);
  CHECK(again.err.find("Cannot find path") != std::string::npos);

  // reg export writes UTF-16LE; the read gives it in the console's code page, as type does.
  const std::string job = "e829700c-27b0-447f-b852-1a3135da31a7";
  const std::string key =
      "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\" + job;
  const std::string backup = "C:\\Windows\\Temp\\job.reg";
  auto exported = fx.ssh(
      kNode, lkr::render_powershell_line(lkr::program("reg", {"export", key, backup, "/y"})));
  INFO(exported.err);
  REQUIRE(exported.rc == 0);
  auto read = fx.ssh(kNode, lkr::render_powershell_line(lkr::builtin("type", {backup})));
  CHECK(read.rc == 0);
  CHECK(read.out.find("Windows Registry Editor Version 5.00") != std::string::npos);
  CHECK(read.out.find(job) != std::string::npos);
  CHECK(read.out.find('\0') == std::string::npos);
}

TEST_CASE("set LK as the PowerShell renderer writes it lists the install folders (E3)") {
  LabFixture fx(kScenario);
  auto lk = fx.ssh(kNode, lkr::render_powershell_line(lkr::builtin("set", {"LK"})));
  CHECK(lk.rc == 0);
  CHECK(lf(lk.out) == "LKBIN=C:\\LK\\Bin\nLKROOT=C:\\LK\n");
  auto dk = fx.ssh(kNode, lkr::render_powershell_line(lkr::builtin("set", {"ExtMirrBase"})));
  CHECK(lf(dk.out) == "ExtMirrBase=C:\\Program Files\\SIOS\\DataKeeper\n");
  auto none = fx.ssh(kNode, lkr::render_powershell_line(lkr::builtin("set", {"NOPE"})));
  CHECK(none.rc == 0);  // PowerShell lists nothing, where cmd says "not defined"
  CHECK(none.out.empty());
  lkr::Command probe{lkr::CommandKind::if_exist,
                     "if exist",
                     {lkr::Arg{"C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe"}}};
  CHECK(lf(fx.ssh(kNode, lkr::render_powershell_line(probe)).out) == "yes\n");
}

TEST_CASE("lines and scripts outside the emitted subset are refused and run nothing") {
  LabFixture fx(kScenario);
  std::size_t entries = journal(fx).size();
  const std::string good =
      "$ErrorActionPreference = 'Stop'; Remove-Item -LiteralPath '" + kLkdr + "' -Force";
  const std::vector<std::string> refused = {
      "hostname",                         // a cmd line: PowerShell is the shell here
      "cmd /c del " + kLkdr,              // not the powershell -EncodedCommand line
      "powershell -Command hostname",     // -Command instead of -EncodedCommand
      encoded_line("Get-Process"),        // not a script the product renders
      encoded_line(good + "; hostname"),  // a rendered script with more after it
      encoded_line(good + " -Recurse"),   // another switch
      encoded_line("$ErrorActionPreference = 'Continue'; Remove-Item -LiteralPath '" + kLkdr +
                   "' -Force"),  // another preference
      encoded_line("$ErrorActionPreference = 'Stop'; Remove-Item -LiteralPath \"" + kLkdr +
                   "\" -Force"),  // a double-quoted (expanding) string
      encoded_line("$ErrorActionPreference = 'Stop'; Remove-Item -LiteralPath 'x -Force"),
      std::string(lkr::kPowershellLinePrefix) + "not base64!",
  };
  for (const auto& line : refused) {
    INFO(line);
    auto r = fx.ssh(kNode, line);
    CHECK(r.rc == 1);
    CHECK(r.err.find("ParserError") != std::string::npos);
  }
  CHECK(journal(fx).size() == entries);
  CHECK(fx.dump(kNode)["files"].dump().find("LKDRInfo.E") != std::string::npos);
  // The same script, as written, is accepted: the refusals above are about the changes.
  CHECK(fx.ssh(kNode, encoded_line(good)).rc == 0);
  CHECK(fx.dump(kNode)["files"].dump().find("LKDRInfo.E") == std::string::npos);
}

TEST_CASE("the lab reads PowerShell single-quoted strings as about_Quoting_Rules says") {
  auto values = [](const std::string& literal) {
    auto s = lab::parse_powershell_script(
        "$ErrorActionPreference = 'Stop'; Remove-Item -LiteralPath " + literal + " -Force");
    return s ? s->values : std::vector<std::string>{"<refused>"};
  };
  CHECK(values("'a''b'") == std::vector<std::string>{"a'b"});
  // Any of the five quote characters ends the string; doubled, the second one is text.
  CHECK(values("'a\u2019\u2019b'") == std::vector<std::string>{"a\u2019b"});
  CHECK(values("'a'\u2018b'") == std::vector<std::string>{"a\u2018b"});
  CHECK(values("'a\u201B") == std::vector<std::string>{"a"});
  CHECK(values("'a\u201B'") == std::vector<std::string>{"<refused>"});  // \u201B' is text
  CHECK(values("'$x `n'") == std::vector<std::string>{"$x `n"});
  CHECK(values("'a'b'") == std::vector<std::string>{"<refused>"});
}
