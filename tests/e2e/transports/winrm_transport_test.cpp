// The WinRM transport against the lab's WinRM endpoint (lab-winrm, real HTTP and TLS
// over loopback): what only WinRM has (one shell and one connection for many commands,
// output over many Receives, auth and TLS failures, Signal on a deadline, lost shells,
// quotas, WinRS's code page). What every transport promises is
// transport_contract_test.cpp, run over both transports.
#include "transports/winrm/winrm_transport.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/transports/winrm_test_support.h"
#include "tests/lab/driver/network.h"
#include "tests/lab/driver/process_tree.h"
#include "tests/lab/driver/tests/lab_fixture.h"
#include "tests/lab/driver/winrm_setup.h"
#include "transports/cmd_quoting.h"
#include "transports/winrm/http_session.h"
#include "transports/winrm/wsman_messages.h"

using lab::testing::LabFixture;
using lkr::TransportError;
using lkr::WinrmOptions;
using lkr::WinrmTransport;
using namespace std::chrono_literals;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kNode = "BENHOGAN2008";  // seed.json's surviving node

WinrmOptions options_for(const LabFixture& fx, const std::string& node,
                         const std::string& scheme = "https") {
  return lkr::test::lab_winrm_options(fx, node, "basic", scheme);
}

TransportError::Kind connect_error(WinrmTransport& t, std::string& message) {
  try {
    t.connect();
  } catch (const TransportError& e) {
    message = e.what();
    return e.kind;
  }
  FAIL("connected although it should not have");
  return TransportError::Kind::protocol;
}

std::string https_seed() { return lkr::test::winrm_variant(kSeed, "basic", "https"); }

}  // namespace

TEST_CASE("commands run over WinRM with their output, errors and exit codes") {
  LabFixture fx(https_seed());
  WinrmTransport t(options_for(fx, kNode));
  t.connect();
  auto host = t.run_line("hostname", 10s);
  CHECK(host.exit_code == 0);
  CHECK(host.stdout_utf8 == "BENHOGAN2008\r\n");
  CHECK(host.stderr_utf8.empty());
  auto missing = t.run_line("nosuchprogram", 10s);
  CHECK(missing.exit_code != 0);
  CHECK(missing.stderr_utf8.find("'nosuchprogram' is not recognized") != std::string::npos);
  auto failing = t.run_line("C:\\LK\\Bin\\sys_remove.exe -s BENHOGAN2008", 10s);
  CHECK(failing.exit_code != 0);
  CHECK(failing.start <= failing.end);
}

TEST_CASE("one shell and one keep-alive connection serve every command of the run") {
  LabFixture fx(https_seed());
  WinrmTransport t(options_for(fx, kNode));
  t.connect();
  std::string shell = t.shell_id();
  REQUIRE_FALSE(shell.empty());
  for (int i = 0; i < 25; ++i) CHECK(t.run_line("hostname", 10s).exit_code == 0);
  CHECK(t.shell_id() == shell);
  CHECK(t.connections_opened() == 1);
  CHECK(fx.dump(kNode)["journal"].size() == 25u);
}

// Capped output is part of the transport contract (transport_contract_test.cpp).
TEST_CASE("output longer than one Receive arrives whole") {
  LabFixture fx(https_seed());
  const lab::LabNode& n = lab::resolve_node(fx.record(), kNode);
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "line " + std::to_string(i) + " of the big file\r\n";
  std::ofstream(n.node_dir + "/C/big.txt", std::ios::binary) << big;
  REQUIRE(big.size() > 10 * 32 * 1024);  // many Receives (the endpoint sends 32 KiB each)
  WinrmTransport t(options_for(fx, kNode));
  t.connect();
  auto whole = t.run_line("type C:\\big.txt & nosuchprogram", 60s);
  CHECK(whole.stdout_utf8.size() == big.size());
  CHECK(whole.stdout_utf8 == big);
  CHECK(whole.stderr_utf8.find("not recognized") != std::string::npos);
  CHECK_FALSE(whole.truncated);
}

TEST_CASE("a wrong password is refused with HTTP 401, naming host and auth, not the password") {
  LabFixture fx(https_seed());
  WinrmOptions o = options_for(fx, kNode);
  o.password = "not-the-password-8c1f";
  WinrmTransport t(o);
  std::string message;
  CHECK(connect_error(t, message) == TransportError::Kind::auth);
  CHECK(message.find("401") != std::string::npos);
  CHECK(message.find(o.host) != std::string::npos);
  CHECK(message.find("(basic)") != std::string::npos);
  CHECK(message.find("root") != std::string::npos);
  CHECK(message.find(o.password) == std::string::npos);
  CHECK(message.find(lkr::test::lab_winrm_password(fx)) == std::string::npos);
}

TEST_CASE("a certificate from an unknown CA is refused; ignore is honoured with a notice") {
  LabFixture fx(https_seed());
  WinrmOptions o = options_for(fx, kNode);
  o.ca_trust_path = "";  // the system's CAs: they never issued the lab's certificate
  WinrmTransport t(o);
  std::string message;
  CHECK(connect_error(t, message) == TransportError::Kind::host_key);
  CHECK(message.find("ansible_winrm_ca_trust_path") != std::string::npos);
  CHECK(message.find(o.host) != std::string::npos);

  o.verify_tls = false;
  WinrmTransport lax(o);
  REQUIRE(lax.notices().size() == 1);
  CHECK(lax.notices()[0].find("not verified") != std::string::npos);
  lax.connect();
  CHECK(lax.run_line("hostname", 10s).exit_code == 0);
}

TEST_CASE("a certificate issued for another address is refused") {
  LabFixture fx(https_seed());
  const lab::LabNode& one = lab::resolve_node(fx.record(), kNode);
  const lab::LabNode& two = lab::resolve_node(fx.record(), "GPLAYER2008");
  // Node 1's endpoint restarted with node 2's certificate (valid, same CA, other address).
  lab::stop_processes({one.winrm_pid}, 2000ms);
  std::string swapped = fx.state_dir() + "/swapped";
  std::filesystem::create_directories(swapped);
  std::filesystem::copy_file(two.node_dir + "/winrm_cert.pem", swapped + "/winrm_cert.pem");
  std::filesystem::copy_file(two.node_dir + "/winrm_key.pem", swapped + "/winrm_key.pem");
  lab::WinrmEndpoint e{swapped,
                       one.address,
                       "root",
                       fx.record().winrm_password_file,
                       "",
                       one.winrm_http_port,
                       one.winrm_https_port,
                       ""};
  std::vector<std::string> argv = lab::lab_winrm_argv(lab::find_lab_winrm_for(fx.lab_binary()), e);
  argv.erase(argv.end() - 2, argv.end());  // no --lab-cmd: no command will run
  int pid = lab::spawn_detached(argv, fx.state_dir() + "/swapped.stderr");
  auto until = std::chrono::steady_clock::now() + 10s;
  while (!lab::accepts_connections(one.address, one.winrm_https_port) &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(10ms);  // polling: no readiness event
  WinrmTransport t(options_for(fx, kNode));
  std::string message;
  CHECK(connect_error(t, message) == TransportError::Kind::host_key);
  CHECK(message.find(one.address) != std::string::npos);
  lab::stop_processes({pid}, 2000ms);
}

TEST_CASE("a command longer than cmd's 8191 characters is refused before it is sent") {
  LabFixture fx(https_seed());
  WinrmTransport t(options_for(fx, kNode));
  REQUIRE(t.shell() == lkr::Shell::cmd);  // WinRS: cmd.exe /c <line>
  t.connect();
  // `echo ` and 8186 more: 8191 characters exactly.
  std::string text(lkr::kCmdMaxLineChars - 5, 'x');
  CHECK(t.run(lkr::builtin("echo", {text}), 10s).exit_code == 0);
  size_t journal = fx.dump(kNode)["journal"].size();
  CHECK_THROWS_AS(t.run(lkr::builtin("echo", {text + "y"}), 10s), std::invalid_argument);
  // Characters, not bytes: 8191 "é" (two UTF-8 bytes each) still fit.
  std::string wide;
  for (size_t i = 0; i < lkr::kCmdMaxLineChars - 5; ++i) wide += "\xC3\xA9";
  CHECK_NOTHROW(t.run(lkr::builtin("echo", {wide}), 10s));
  CHECK(fx.dump(kNode)["journal"].size() == journal + 1);  // only the one that fits ran
}

TEST_CASE("a command past its deadline is terminated with Signal, and the shell goes on") {
  LabFixture fx(https_seed());
  REQUIRE(fx.lab({"fault", kNode, "--command", "hostname", "--hang", "--times", "1"}).rc == 0);
  WinrmOptions o = options_for(fx, kNode);
  o.operation_timeout_s = 1;  // the endpoint answers w:TimedOut each second: keep waiting
  o.read_timeout_s = 5;
  WinrmTransport t(o);
  t.connect();
  auto start = std::chrono::steady_clock::now();
  try {
    t.run_line("hostname", 2500ms);
    FAIL("a hanging command returned");
  } catch (const TransportError& e) {
    CHECK(e.kind == TransportError::Kind::timeout);
    CHECK(std::string(e.what()).find("terminated") != std::string::npos);
  }
  CHECK(std::chrono::steady_clock::now() - start < 10s);
  auto after = t.run_line("hostname", 10s);
  CHECK(after.exit_code == 0);
  CHECK(after.stdout_utf8 == "BENHOGAN2008\r\n");
}

TEST_CASE("a shell the server lost is replaced before the next command") {
  LabFixture fx(https_seed());
  WinrmOptions o = options_for(fx, kNode);
  WinrmTransport t(o);
  t.connect();
  std::string first = t.shell_id();
  // Another client deletes the shell (as an expired IdleTimeout or a service restart would).
  lkr::winrm::HttpSession other(o);
  lkr::winrm::MessageHeader h;
  h.to = other.url();
  h.message_id = lkr::winrm::new_message_id();
  REQUIRE(other.post(lkr::winrm::delete_shell_request(h, first), 10s).status == 200);
  auto r = t.run_line("hostname", 10s);
  CHECK(r.exit_code == 0);
  CHECK(t.shell_id() != first);
}

TEST_CASE("an exhausted shell quota is reported with the server's text") {
  LabFixture fx(https_seed());
  std::vector<std::unique_ptr<WinrmTransport>> shells;
  std::string message;
  TransportError::Kind kind = TransportError::Kind::unreachable;
  for (int i = 0; i < 40 && message.empty(); ++i) {
    auto t = std::make_unique<WinrmTransport>(options_for(fx, kNode));
    try {
      t->connect();
      shells.push_back(std::move(t));
    } catch (const TransportError& e) {
      message = e.what();
      kind = e.kind;
    }
  }
  REQUIRE_FALSE(message.empty());
  CHECK(kind == TransportError::Kind::protocol);
  CHECK(message.find("concurrent shells") != std::string::npos);  // the server's words
  CHECK(message.find("quota") != std::string::npos);              // what to do
  shells.front()->close();  // one shell freed: a new one fits again
  WinrmTransport again(options_for(fx, kNode));
  CHECK_NOTHROW(again.connect());
  shells.pop_back();  // a destroyed transport deletes its shell too
  WinrmTransport more(options_for(fx, kNode));
  CHECK_NOTHROW(more.connect());
}

TEST_CASE("Basic over plain http only when explicitly allowed") {
  LabFixture fx(lkr::test::winrm_variant(kSeed, "basic", "http"));
  WinrmOptions o = options_for(fx, kNode, "http");
  WinrmTransport refused(o);
  std::string message;
  CHECK(connect_error(refused, message) == TransportError::Kind::auth);
  CHECK(message.find("ansible_winrm_message_encryption: never") != std::string::npos);
  o.allow_unencrypted = true;
  WinrmTransport allowed(o);
  allowed.connect();
  CHECK(allowed.run_line("hostname", 10s).stdout_utf8 == "BENHOGAN2008\r\n");
}

TEST_CASE("Kerberos against an endpoint without it fails at connect, naming the host") {
  LabFixture fx(https_seed());
  WinrmOptions o = options_for(fx, kNode);
  o.auth = lkr::WinrmAuth::kerberos;
  WinrmTransport t(o);
  std::string message;
  CHECK(connect_error(t, message) == TransportError::Kind::auth);
  CHECK(message.find("kerberos") != std::string::npos);
  CHECK(message.find(o.host) != std::string::npos);
}

// WinRS starts cmd.exe with the shell's WINRS_CODEPAGE as its console code page, whatever
// the node's own (932 here) and whatever OpenSSH's DefaultShell (PowerShell here) says.
TEST_CASE("WinRS runs cmd.exe in the shell's code page, whatever the node's console and shell") {
  struct Folder {
    std::string path = lab::testing::make_temp_dir("lkr-winrs-cp");
    ~Folder() { lab::testing::remove_tree(path); }
  } dir;
  std::string scenario = dir.path + "/winrs.json";
  std::ofstream(scenario) << R"({"clusters": [{"name": "c", "replaced": "B", "nodes": [
      {"system": "日本ノード", "address": "127.10.0.1", "codepage": 932,
       "default_shell": "powershell", "transport": "winrm", "winrm_auth": "basic",
       "winrm_scheme": "https"},
      {"system": "B", "address": "127.10.0.2", "reinstalled": true}]}]})";
  LabFixture fx(scenario);
  for (int codepage : {65001, 932, 437}) {
    INFO("WINRS_CODEPAGE " << codepage);
    WinrmOptions o = options_for(fx, "日本ノード");
    o.codepage = codepage;
    WinrmTransport t(o);
    t.connect();
    // chcp reports the console's code page; %COMPUTERNAME% expands only under cmd.exe.
    auto r = t.run_line("chcp & echo %COMPUTERNAME%", 10s);
    CHECK(r.exit_code == 0);
    CHECK(r.stdout_utf8.find(": " + std::to_string(codepage)) != std::string::npos);
    // Decoded from the code page the transport asked for: exact in 65001 and 932, and
    // '?' per character in 437, which has no kana or kanji.
    std::string expected = codepage == 437 ? "?????" : "日本ノード";
    CHECK(r.stdout_utf8.find(expected + "\r\n") != std::string::npos);
  }
}
