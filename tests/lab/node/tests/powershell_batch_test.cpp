// The lab's PowerShell runs batches exactly as the product renders them
// (transports/command_batch.h, powershell_batch_script): every part runs, in order, as it
// would alone; a part that fails terminatingly prints its error and counts as 1, and the
// next still runs; the markers split the output back (split_batch_output) into what each
// command gives when sent alone; the node's latency is waited per part. Anything but the
// rendered form is refused and runs nothing.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/lab/node/codepage.h"
#include "tests/lab/node/node_ops.h"
#include "tests/lab/node/powershell.h"
#include "tests/lab/node/tests/test_node.h"
#include "transports/base64.h"
#include "transports/cmd_quoting.h"
#include "transports/command_batch.h"
#include "transports/powershell_quoting.h"
#include "transports/transport.h"

using namespace lab::testing;
using lkr::Command;

namespace {

const std::string kNonce = "LKR00112233445566778899aabbccddeeff";
const std::string kLkdr = "C:\\LK\\subsys\\filesys\\resources\\volume\\LKDRInfo.E";

lab::NodeState powershell_node(const std::string& cluster_dir) {
  auto s = benhogan(cluster_dir);
  s.default_shell = "powershell";
  return s;
}

Command if_exist(const std::string& path) {
  return Command{lkr::CommandKind::if_exist, "if exist", {lkr::Arg{path}}};
}

std::string batch_line(const std::vector<Command>& commands) {
  return lkr::render_batch_line(commands, lkr::Shell::powershell, kNonce);
}

std::string batch_script(const std::vector<Command>& commands) {
  return lkr::powershell_batch_script(commands, kNonce);
}

// A script encoded as the renderer encodes its own.
std::string encoded(const std::string& script) {
  return std::string(lkr::kPowershellLinePrefix) + lkr::base64_encode(lab::utf8_to_utf16le(script));
}

// The batch run on `node`, split into one result per command.
std::vector<lkr::CommandResult> run_batch(const std::string& node,
                                          const std::vector<Command>& commands, int* rc = nullptr) {
  RunResult r = run(node, batch_line(commands));
  if (rc) *rc = r.rc;
  lkr::CommandResult whole;
  whole.stdout_utf8 = r.out;
  whole.stderr_utf8 = r.err;
  return lkr::split_batch_output(whole, commands.size(), kNonce);
}

std::vector<nlohmann::json> journal(const std::string& node) {
  std::vector<nlohmann::json> entries;
  std::ifstream in(node + "/journal.jsonl");
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) entries.push_back(nlohmann::json::parse(line));
  return entries;
}

bool file_exists(const std::string& node, const std::string& windows_path) {
  auto host = lab::host_path(node, windows_path);
  return host && std::filesystem::exists(*host);
}

std::string file_bytes(const std::string& node, const std::string& windows_path) {
  std::ifstream in(*lab::host_path(node, windows_path), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const std::string kStartFailed =
    "Exception calling \"Start\" with \"1\" argument(s): \"The system cannot find the file "
    "specified\"\r\n";

}  // namespace

TEST_CASE("a PowerShell batch runs every form, each with its own output and exit code") {
  TempDir dir;
  std::string node = make_node(dir, "ps", powershell_node(dir.path() + "/cluster"));
  const std::string lkdr_bytes = file_bytes(node, kLkdr);
  REQUIRE(lkdr_bytes.size() == 39);
  std::vector<Command> batch = {
      lkr::builtin("hostname", {}),
      if_exist(kLkdr),
      if_exist("C:\\LK\\nowhere.E"),
      lkr::builtin("set", {"LK"}),
      lkr::builtin("type", {kLkdr}),
      lkr::program("C:\\LK\\Bin\\eqv_list.exe", {"-x"}),  // E13: a syntax error, exit 2
      lkr::program("C:\\nope.exe", {}),                   // cannot start: caught, 1
      lkr::builtin("del", {kLkdr}),
      lkr::builtin("del", {kLkdr}),  // gone by now: Remove-Item's error, caught, 1
      if_exist(kLkdr),
  };
  int rc = -1;
  auto results = run_batch(node, batch, &rc);
  CHECK(rc == 0);  // the script's last statement succeeded
  REQUIRE(results.size() == batch.size());
  auto expect = [&](std::size_t i, int code, const std::string& out, const std::string& err) {
    INFO("part " << i);
    CHECK(results[i].exit_code == code);
    CHECK(results[i].stdout_utf8 == out);
    CHECK(results[i].stderr_utf8 == err);
  };
  expect(0, 0, "BENHOGAN2008\r\n", "");
  expect(1, 0, "yes\r\n", "");
  expect(2, 0, "no\r\n", "");
  expect(3, 0, "LKBIN=C:\\LK\\Bin\r\nLKROOT=C:\\LK\r\n", "");
  expect(4, 0, lkdr_bytes, "");
  CHECK(results[5].exit_code == 2);
  CHECK(results[5].stdout_utf8.empty());
  CHECK(results[5].stderr_utf8.find("Usage: eqv_list") != std::string::npos);
  expect(6, 1, "", kStartFailed);
  expect(7, 0, "", "");
  // $_.ToString() is the message alone: no "Remove-Item : " before it, as uncaught.
  expect(8, 1, "", "Cannot find path '" + kLkdr + "' because it does not exist.\r\n");
  expect(9, 0, "no\r\n", "");
  CHECK_FALSE(file_exists(node, kLkdr));
}

TEST_CASE("each part of a PowerShell batch gives what the command gives alone") {
  std::vector<Command> commands = {
      lkr::program("C:\\LK\\Bin\\eqv_list.exe", {}),
      lkr::program("C:\\LK\\Bin\\sys_list.exe", {}),
      lkr::program("C:\\LK\\Bin\\ins_list.exe", {}),
      lkr::program("C:\\LK\\Bin\\net_list.exe", {}),
      lkr::program("C:\\LK\\Bin\\eqv_list.exe", {"-x"}),
      lkr::program("reg", {"query",
                           "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\"
                           "Parameters\\Jobs"}),
      lkr::program("reg", {"query", "HKLM\\System\\NoSuchKey"}),
      lkr::program("C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe",
                   {".", "getmirrorvolinfo", "E"}),
      lkr::builtin("chcp", {}),
      lkr::builtin("set", {"ExtMirrBase"}),
      lkr::builtin("set", {"NOPE"}),
      if_exist("C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe"),
      lkr::builtin("type", {kLkdr}),
  };
  TempDir dir;
  std::string alone_node = make_node(dir, "alone", powershell_node(dir.path() + "/a"));
  std::string batch_node = make_node(dir, "batch", powershell_node(dir.path() + "/b"));
  auto results = run_batch(batch_node, commands);
  REQUIRE(results.size() == commands.size());
  std::set<int> codes;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    INFO("command " << i << ": " << lkr::display(commands[i]));
    RunResult alone = run(alone_node, lkr::render_powershell_line(commands[i]));
    CHECK(results[i].exit_code == alone.rc);
    CHECK(results[i].stdout_utf8 == alone.out);
    CHECK(results[i].stderr_utf8 == alone.err);
    codes.insert(alone.rc);
  }
  CHECK(codes.size() >= 3);  // not all the same: the codes are each part's own
}

TEST_CASE("programs in a PowerShell batch get exactly the intended argv") {
  TempDir dir;
  std::string node = make_node(dir, "ps", powershell_node(dir.path() + "/cluster"));
  const std::vector<std::string> values = {"Vol E data",
                                           "",
                                           "it's",
                                           "\u2018curly\u2019 \u201Alow\u201B",
                                           "say \"hi\" now",
                                           "C:\\dir\\",
                                           "a\\\\",
                                           "$env:PATH",
                                           "$(calc)",
                                           "a;b",
                                           "A&B|C",
                                           "%LKROOT%",
                                           "--%",
                                           "'} } catch { $c = 0 }; '",
                                           "日本語 テスト"};
  std::vector<Command> batch;
  for (const auto& v : values)
    batch.push_back(lkr::program("C:\\LK\\Bin\\ins_list.exe", {"-t", v}));
  std::size_t before = journal(node).size();
  auto results = run_batch(node, batch);
  REQUIRE(results.size() == values.size());
  auto entries = journal(node);
  REQUIRE(entries.size() == before + values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    INFO(values[i]);
    CHECK(entries[before + i]["argv"] ==
          nlohmann::json::array({"C:\\LK\\Bin\\ins_list.exe", "-t", values[i]}));
    CHECK(entries[before + i]["rc"] == results[i].exit_code);
  }
}

TEST_CASE("a fault or a missing program in the middle of a batch stops only that part") {
  TempDir dir;
  auto s = powershell_node(dir.path() + "/cluster");
  lab::Fault fault;
  fault.command = "sys_list";
  fault.kind = "fail";
  fault.rc = 7;
  fault.message = "sys_list: the configuration database is busy";
  s.faults.push_back(fault);
  std::string node = make_node(dir, "ps", s);
  std::vector<Command> batch = {
      lkr::builtin("hostname", {}), lkr::program("C:\\LK\\Bin\\sys_list.exe", {}),
      lkr::program("C:\\LK\\Bin\\nosuch.exe", {}), lkr::builtin("hostname", {})};
  auto results = run_batch(node, batch);
  REQUIRE(results.size() == 4);
  CHECK(results[0].stdout_utf8 == "BENHOGAN2008\r\n");
  CHECK(results[1].exit_code == 7);
  CHECK(results[1].stderr_utf8 == fault.message + "\r\n");
  CHECK(results[2].exit_code == 1);
  CHECK(results[2].stderr_utf8 == kStartFailed);
  CHECK(results[3].exit_code == 0);
  CHECK(results[3].stdout_utf8 == "BENHOGAN2008\r\n");
}

TEST_CASE("a node's latency is waited once per part of a PowerShell batch") {
  TempDir dir;
  auto s = powershell_node(dir.path() + "/cluster");
  s.latency_ms = 150;
  std::string node = make_node(dir, "ps", s);
  for (int parts : {1, 4}) {
    std::vector<Command> batch(static_cast<std::size_t>(parts), lkr::builtin("set", {"LK"}));
    auto start = std::chrono::steady_clock::now();
    auto results = run_batch(node, batch);
    auto waited = std::chrono::steady_clock::now() - start;
    CHECK(results.size() == static_cast<std::size_t>(parts));
    CHECK(waited >= std::chrono::milliseconds(150 * parts));
  }
}

TEST_CASE("the lab parses a batch into its parts and literals") {
  std::string path = "C:\\LK\\it's \u2019$x`;\\LKDRInfo.E";
  auto batch = lab::parse_powershell_batch(
      batch_script({lkr::program("C:\\LK\\Bin\\ins_list.exe", {"-t", "a b"}), if_exist(path),
                    lkr::builtin("del", {"/q", path}), lkr::builtin("type", {path}),
                    lkr::builtin("set", {"LK"})}));
  REQUIRE(batch);
  CHECK(batch->marker == kNonce);
  using Form = lab::PowershellScript::Form;
  REQUIRE(batch->parts.size() == 5);
  CHECK(batch->parts[0].form == Form::start_process);
  CHECK(batch->parts[0].values ==
        std::vector<std::string>{"C:\\LK\\Bin\\ins_list.exe", "-t \"a b\""});
  CHECK(batch->parts[1].form == Form::test_path);
  CHECK(batch->parts[1].values == std::vector<std::string>{path});
  CHECK(batch->parts[2].form == Form::remove_item);
  CHECK(batch->parts[2].values == std::vector<std::string>{path});
  CHECK(batch->parts[3].form == Form::read_bytes);
  CHECK(batch->parts[3].values == std::vector<std::string>{path});
  CHECK(batch->parts[4].form == Form::environment);
  CHECK(batch->parts[4].values == std::vector<std::string>{"LK*"});
  // A single-command script is not a batch, and a batch not a single-command script.
  CHECK_FALSE(lab::parse_powershell_batch(lkr::powershell_script(lkr::builtin("set", {"LK"}))));
  CHECK_FALSE(lab::parse_powershell_script(batch_script({lkr::builtin("set", {"LK"})})));
}

TEST_CASE("scripts that are not the rendered batch are refused and run nothing") {
  TempDir dir;
  std::string node = make_node(dir, "ps", powershell_node(dir.path() + "/cluster"));
  const std::vector<Command> two = {lkr::builtin("del", {kLkdr}), lkr::builtin("hostname", {})};
  const std::string good = batch_script(two);
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
  };
  const std::string start = "$ErrorActionPreference = 'Stop'; $m = '" + kNonce + "'; ";
  const std::vector<std::string> refused = {
      start,                                                 // no part
      good + "hostname",                                     // more after the last part
      replaced("' 0 '", "' 1 '"),                            // parts numbered otherwise
      replaced("' 1'", "' 0'"),                              // a stderr marker another's
      replaced("$m = '" + kNonce + "'", "$m = 'LKR-1'"),     // a marker not letters/digits
      replaced("$m = '" + kNonce + "'", "$m = \"LKR\""),     // an expanding string
      replaced("-Force; 0", "-Force -Recurse; 0"),           // another switch
      replaced("-Force; 0", "-Force"),                       // no exit code as the value
      replaced("$c = 1 }", "$c = 0 }"),                      // a caught error is not 1
      replaced("[Console]::Error.WriteLine", "Write-Host"),  // another way to print
      replaced("'Stop'", "'Continue'"),                      // errors not terminating
  };
  for (const auto& script : refused) {
    INFO(script);
    RunResult r = run(node, encoded(script));
    CHECK(r.rc == 1);
    CHECK(r.err.find("ParserError") != std::string::npos);
    CHECK(r.out.empty());
  }
  CHECK(journal(node).empty());
  CHECK(file_exists(node, kLkdr));
  // The script as rendered runs: the refusals above are about the changes.
  RunResult r = run(node, encoded(good));
  CHECK(r.rc == 0);
  CHECK_FALSE(file_exists(node, kLkdr));
  CHECK(journal(node).size() == 2);
}
