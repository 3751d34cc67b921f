// The formats of docs/record-formats.md a node speaks, their scenario variants
// (RecordFormats), jobs of several node pairs (E6, E7), mirrors seen from a source and a
// target (E10), and the install folders read from the environment (E3, E9).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/lab/node/codepage.h"
#include "tests/lab/node/node_ops.h"
#include "tests/lab/node/powershell.h"
#include "tests/lab/node/tests/test_node.h"
#include "tests/lab/node/text_util.h"

using namespace lab::testing;

namespace {

const std::string kJob = "e829700c-27b0-447f-b852-1a3135da31a7";
const std::string kJobsKey = "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs";
const std::string kEmcmd = "cd /d \"%ExtMirrBase%\" && emcmd . ";
// A job of three nodes: one tuple per pair (E7), as the registry holds it (E6).
const std::vector<std::string> kThreeNodeTuples = {
    "BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A",
    "BENHOGAN2008;E;10.200.8.25;TIGER2008;E;10.200.8.27;A",
    "GPLAYER2008;E;10.200.8.26;TIGER2008;E;10.200.8.27;A"};

// BENHOGAN2008 as the source of E toward GPLAYER2008 (lost) and TIGER2008 (mirroring).
lab::NodeState three_node_source(const std::string& cluster_dir) {
  auto s = benhogan(cluster_dir);
  s.registry_jobs[0].endpoints = kThreeNodeTuples;
  s.mirrors = {{"E",
                "source",
                "10.200.8.25",
                {"10.200.8.26", "10.200.8.27"},
                false,
                3,
                "BENHOGAN2008",
                {"GPLAYER2008", "TIGER2008"},
                {3, 1}}};
  return s;
}

// TIGER2008, a target of BENHOGAN2008's mirror E.
lab::NodeState tiger_target(const std::string& cluster_dir) {
  auto s = three_node_source(cluster_dir);
  s.system = "TIGER2008";
  s.env["COMPUTERNAME"] = "TIGER2008";
  s.mirrors = {{"E",
                "target",
                "10.200.8.25",
                {"10.200.8.27"},
                false,
                1,
                "BENHOGAN2008",
                {"TIGER2008"},
                {1}}};
  return s;
}

std::vector<std::string> lines_of(const std::string& crlf_text) {
  auto lines = lab::split_any(lf(crlf_text), "\n");
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::string base64(const std::string& bytes) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += a[(n >> 18) & 63];
    out += a[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? a[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? a[n & 63] : '=';
  }
  return out;
}

// The line lkrecover sends to a node whose default shell is PowerShell.
std::string powershell_line(const std::string& script) {
  return "powershell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand " +
         base64(lab::utf8_to_utf16le(script));
}

std::string env_script(const std::string& pattern) {
  return "$ErrorActionPreference = 'Stop'; Get-ChildItem Env: | Where-Object Name -like '" +
         pattern + "' | ForEach-Object { $_.Name + '=' + $_.Value }";
}

}  // namespace

TEST_CASE("getjobinfoforvol: a MirrorEndPoints line per tuple, or one line", "[formats]") {
  TempDir dir;
  auto s = three_node_source(dir.path() + "/cluster");
  std::string header = "ID = " + kJob + "\r\nName = E Vol\r\nDescription =\r\n";
  std::string node = make_node(dir, "per-tuple", s);
  CHECK(run(node, kEmcmd + "getjobinfoforvol E").out ==
        header + "MirrorEndPoints = " + kThreeNodeTuples[0] + "\r\nMirrorEndPoints = " +
            kThreeNodeTuples[1] + "\r\nMirrorEndPoints = " + kThreeNodeTuples[2] + "\r\n");
  s.formats.jobinfo_endpoints = "one_line";
  node = make_node(dir, "one-line", s);
  CHECK(run(node, kEmcmd + "getjobinfoforvol E").out ==
        header + "MirrorEndPoints = " + lab::join(kThreeNodeTuples, ";") + "\r\n");
}

TEST_CASE("getjobinfoforvol: a blank line between jobs", "[formats]") {
  TempDir dir;
  auto s = benhogan(dir.path() + "/cluster");
  s.registry_jobs.push_back(
      {"0000aaaa-0000-4000-8000-000000000001", "E again", "second", {kThreeNodeTuples[1]}});
  std::string node = make_node(dir, "ben", s);
  auto blocks = lf(run(node, kEmcmd + "getjobinfoforvol E").out);
  CHECK(blocks.find("\n\nID = 0000aaaa-0000-4000-8000-000000000001\nName = E again\n"
                    "Description = second\nMirrorEndPoints = " +
                    kThreeNodeTuples[1] + "\n") != std::string::npos);
}

TEST_CASE("getmirrorvolinfo: a line per target on the source, one line on a target (E10)",
          "[formats]") {
  TempDir dir;
  std::string source = make_node(dir, "ben", three_node_source(dir.path() + "/cluster"));
  CHECK(run(source, kEmcmd + "getmirrorvolinfo E").out ==
        "E: 1 GPLAYER2008 10.200.8.26 3\r\nE: 1 TIGER2008 10.200.8.27 1\r\n");
  std::string target = make_node(dir, "tiger", tiger_target(dir.path() + "/cluster"));
  auto t = run(target, kEmcmd + "getmirrorvolinfo e");
  CHECK(t.rc == 0);
  CHECK(t.out == "E: 2 BENHOGAN2008 10.200.8.25 1\r\n");
}

TEST_CASE("getmirrorvolinfo without a mirror: Status = 15 or nothing (mirror_info_none)",
          "[formats]") {
  TempDir dir;
  auto s = benhogan(dir.path() + "/cluster");
  std::string strict = make_node(dir, "status15", s);
  auto a = run(strict, kEmcmd + "getmirrorvolinfo G");
  CHECK(a.out == "Status = 15\r\n");
  CHECK(a.rc == 15);
  s.formats.mirror_info_none = "empty";
  std::string quiet = make_node(dir, "empty", s);
  auto b = run(quiet, kEmcmd + "getmirrorvolinfo G");
  CHECK(b.out.empty());
  CHECK(b.rc == 0);
  CHECK(run(quiet, kEmcmd + "getmirrorvolinfo E").out == "E: 1 GPLAYER2008 10.200.8.26 3\r\n");
}

TEST_CASE("reg query prints Endpoints as reg.exe prints a REG_MULTI_SZ (E6)", "[formats]") {
  TempDir dir;
  std::string node = make_node(dir, "ben", three_node_source(dir.path() + "/cluster"));
  std::string expected = "    Endpoints    REG_MULTI_SZ    " + kThreeNodeTuples[0] + "\\0" +
                         kThreeNodeTuples[1] + "\\0" + kThreeNodeTuples[2] + "\r\n";
  auto job = run(node, "reg query " + kJobsKey + "\\" + kJob);
  CHECK(job.out.find(expected) != std::string::npos);
  auto all = run(node, "reg query " + kJobsKey + " /s");
  CHECK(all.rc == 0);
  CHECK(all.out.find(expected) != std::string::npos);
  CHECK(all.out.find("    Description    REG_SZ    ") != std::string::npos);
}

TEST_CASE("reg export writes Endpoints as hex(7): UTF-16LE, wrapped as regedit does", "[formats]") {
  TempDir dir;
  std::string node = make_node(dir, "ben", three_node_source(dir.path() + "/cluster"));
  REQUIRE(run(node, "reg export " + kJobsKey + " C:\\Windows\\Temp\\jobs.reg /y").rc == 0);
  std::string file = lab::read_file(node + "/C/Windows/Temp/jobs.reg");
  REQUIRE(file.rfind("\xFF\xFE", 0) == 0);
  std::string text = lab::utf16le_to_utf8(std::string_view(file).substr(2));
  std::string start = "\"Endpoints\"=hex(7):";
  auto at = text.find(start);
  REQUIRE(at != std::string::npos);
  std::string value = text.substr(at, text.find("\r\n\r\n", at) - at);
  for (const auto& line : lab::split_any(value, "\n")) CHECK(line.size() <= 81);  // 80 + CR
  // The bytes: each entry in UTF-16LE with its NUL, then the list's closing NUL.
  std::string hex;
  for (char c : value.substr(start.size()))
    if (std::isxdigit(static_cast<unsigned char>(c))) hex += c;
  std::string expected;
  for (const auto& t : kThreeNodeTuples) expected += lab::utf8_to_utf16le(t) + std::string(2, '\0');
  expected += std::string(2, '\0');
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  CHECK(bytes == expected);
  CHECK(value.find(",\\\r\n  ") != std::string::npos);  // continued lines
  CHECK(text.find("\"Name\"=\"E Vol\"\r\n") != std::string::npos);
}

TEST_CASE("list command variants: layouts, empty_list_rc, ins_list fields, volume ids",
          "[formats]") {
  TempDir dir;
  auto s = benhogan(dir.path() + "/cluster");
  s.formats.net_list_layout = "local_first";
  s.formats.empty_list_rc = 0;
  s.formats.ins_list_fields = "seven";
  s.formats.volume_id = "letter";
  s.in_memory.resources[1].state = "OSF";
  std::string node = make_node(dir, "variants", s);
  CHECK(run(node, "net_list -f#").out ==
        "BENHOGAN2008#GPLAYER2008#10.200.8.25/10.200.8.26#TCPIP:1500#DEAD#1\r\n");
  auto vol = lab::split_any(lines_of(run(node, "ins_list -i E").out).at(0), "\x01");
  REQUIRE(vol.size() == 7);
  CHECK(vol[2] == "Vol.E");
  CHECK(vol[3] == "E");
  CHECK(vol[5].rfind("E ", 0) == 0);
  CHECK(vol[6] == "OSF");
  auto none = run(node, "ins_list -t NOPE");
  CHECK(none.out.empty());
  CHECK(none.rc == 0);
  CHECK(run(node, "eqv_list -t NOPE").rc == 0);

  s.formats.net_list_layout = "status";
  std::string status = make_node(dir, "status", s);
  CHECK(run(status, "net_list -f#").out == "GPLAYER2008#TCP#10.200.8.25/10.200.8.26#DEAD#1\r\n");
}

TEST_CASE("set PREFIX prints NAME=value sorted by name, case-insensitively (E3, E9)",
          "[formats][environment]") {
  TempDir dir;
  auto s = benhogan(dir.path() + "/cluster");
  s.env["lkLower"] = "x";
  std::string node = make_node(dir, "ben", s);
  auto lk = run(node, "set LK");
  CHECK(lk.rc == 0);
  CHECK(lk.out == "LKBIN=C:\\LK\\Bin\r\nlkLower=x\r\nLKROOT=C:\\LK\r\n");
  CHECK(run(node, "set extmirrbase").out == "ExtMirrBase=C:\\Program Files\\SIOS\\DataKeeper\r\n");
  CHECK(run(node, "set \"LKR\"").out == "LKROOT=C:\\LK\r\n");
  auto missing = run(node, "set NOPE");
  CHECK(missing.rc == 1);
  CHECK(missing.out.empty());
  CHECK(missing.err == "Environment variable NOPE not defined\r\n");
  auto all = lines_of(run(node, "set").out);
  CHECK(all.size() == s.env.size());
  CHECK(std::is_sorted(all.begin(), all.end(), [](const std::string& a, const std::string& b) {
    return lab::to_upper(a.substr(0, a.find('='))) < lab::to_upper(b.substr(0, b.find('=')));
  }));
  CHECK(run(node, "set LK || echo none").out.find("none") == std::string::npos);
  CHECK(run(node, "set NOPE || echo none").out == "none\r\n");
}

TEST_CASE("PowerShell's Env: listing, the product's rendering of set", "[formats][environment]") {
  auto parsed = lab::parse_powershell_script(env_script("LK*"));
  REQUIRE(parsed);
  CHECK(parsed->form == lab::PowershellScript::Form::environment);
  CHECK(parsed->values == std::vector<std::string>{"LK*"});
  // Anything but '=' between name and value is another script.
  CHECK_FALSE(lab::parse_powershell_script(
      "$ErrorActionPreference = 'Stop'; Get-ChildItem Env: | Where-Object Name -like 'LK*' | "
      "ForEach-Object { $_.Name + ':' + $_.Value }"));

  TempDir dir;
  auto s = benhogan(dir.path() + "/cluster");
  s.default_shell = "powershell";
  std::string node = make_node(dir, "ps", s);
  auto lk = run(node, powershell_line(env_script("LK*")));
  CHECK(lk.rc == 0);
  CHECK(lk.out == "LKBIN=C:\\LK\\Bin\r\nLKROOT=C:\\LK\r\n");
  auto none = run(node, powershell_line(env_script("NOPE*")));
  CHECK(none.rc == 0);
  CHECK(none.out.empty());
  std::string exists =
      "$ErrorActionPreference = 'Stop'; if (Test-Path -LiteralPath "
      "'C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe') { 'yes' } else { 'no' }";
  CHECK(run(node, powershell_line(exists)).out == "yes\r\n");
}

TEST_CASE("if exist finds the installed programs (E3, E9)", "[formats][environment]") {
  TempDir dir;
  auto s = benhogan(dir.path() + "/cluster");
  s.lkroot = "C:\\Program Files\\SIOS\\LifeKeeper";
  s.extmirrbase = "C:\\Program Files (x86)\\SIOS\\DataKeeper";
  s.env["LKROOT"] = s.lkroot;
  s.env["LKBIN"] = s.lkroot + "\\Bin";
  s.env["ExtMirrBase"] = s.extmirrbase;
  std::string node = make_node(dir, "ben", s);
  auto yes_no = [&](const std::string& path) {
    return run(node, "if exist \"" + path + "\" (echo yes) else (echo no)").out;
  };
  CHECK(yes_no("%ExtMirrBase%\\emcmd.exe") == "yes\r\n");
  CHECK(yes_no("%LKBIN%\\eqv_list.exe") == "yes\r\n");
  CHECK(yes_no("C:\\Program Files (x86)\\SIOS\\DataKeeper\\EMCMD.EXE") == "yes\r\n");
  CHECK(yes_no("C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe") == "no\r\n");
  CHECK(yes_no("%LKBIN%\\nothing.exe") == "no\r\n");
  CHECK(lf(run(node, "cd /d \"%ExtMirrBase%\" && emcmd . getmirrorvolinfo E").out) ==
        "E: 1 GPLAYER2008 10.200.8.26 3\n");
}
