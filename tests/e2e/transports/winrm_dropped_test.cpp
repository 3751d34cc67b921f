// The WinRM transport when the server closes the connection in the middle of a Receive
// (LAB.md's fault "the connection is dropped in the middle", which the
// lab's WinRM endpoint turns into closing the client's TCP connection unanswered): the
// error is TransportError{dropped}, names the host and the auth mode and holds no secret;
// the command did run on the node (the outcome is unknown to the client, as it says); and
// after connecting again the next command runs. Real lab-winrm over loopback, HTTP with
// NTLM message encryption (Windows' default) and HTTPS with Basic (the TLS close path).
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <utility>

#include "tests/e2e/transports/winrm_test_support.h"
#include "tests/lab/driver/tests/lab_fixture.h"
#include "transports/winrm/winrm_transport.h"

using lab::testing::LabFixture;
using lkr::TransportError;
using lkr::WinrmOptions;
using lkr::WinrmTransport;
using namespace std::chrono_literals;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kNode = "BENHOGAN2008";  // seed.json's surviving node

WinrmOptions options_for(const LabFixture& fx, const std::string& auth, const std::string& scheme) {
  return lkr::test::lab_winrm_options(fx, kNode, auth, scheme);
}

}  // namespace

TEST_CASE("the server closing the connection mid-Receive: dropped, named, and a reconnect works",
          "[e2e][winrm]") {
  auto mode = GENERATE(std::pair<std::string, std::string>{"ntlm", "http"},
                       std::pair<std::string, std::string>{"basic", "https"});
  INFO(mode.first << " over " << mode.second);
  LabFixture fx(lkr::test::winrm_variant(kSeed, mode.first, mode.second));
  WinrmOptions o = options_for(fx, mode.first, mode.second);
  WinrmTransport t(o);
  t.connect();
  REQUIRE(t.run_line("hostname", 10s).exit_code == 0);
  long connections_before = t.connections_opened();

  // The next `hostname` runs, then its connection is cut before any reply.
  auto armed = fx.lab({"fault", kNode, "--command", "hostname", "--drop", "--times", "1"});
  INFO(armed.out << armed.err);
  REQUIRE(armed.rc == 0);
  std::string message;
  TransportError::Kind kind = TransportError::Kind::protocol;
  try {
    t.run_line("hostname", 10s);
    FAIL("the command came back although its connection was dropped");
  } catch (const TransportError& e) {
    kind = e.kind;
    message = e.what();
  }
  INFO(message);
  CHECK(kind == TransportError::Kind::dropped);
  CHECK(message.find("dropped") != std::string::npos);
  CHECK(message.find(o.host) != std::string::npos);
  CHECK(message.find("(" + mode.first + ")") != std::string::npos);
  CHECK(message.find("outcome is unknown") != std::string::npos);
  CHECK(message.find(o.password) == std::string::npos);
  // It did run: the node's journal has it, with the fault that cut it.
  nlohmann::json journal = fx.dump(kNode)["journal"];
  REQUIRE(journal.size() == 2u);
  CHECK(journal.back().value("fault", "") == "drop");

  // The session is gone until connected again; then commands run as before.
  try {
    t.run_line("hostname", 10s);
    FAIL("ran a command on a session that was lost");
  } catch (const TransportError& e) {
    CHECK(e.kind == TransportError::Kind::dropped);
  }
  t.connect();
  auto again = t.run_line("hostname", 10s);
  CHECK(again.exit_code == 0);
  CHECK(again.stdout_utf8 == kNode + "\r\n");
  CHECK(t.connections_opened() > connections_before);  // a new connection, a new shell
  CHECK(fx.dump(kNode)["journal"].size() == 3u);
}
