// The WinRM transport's round trips, checked against what a server on loopback saw: every
// HTTP request it answered and every TCP connection it accepted (Basic over http: one
// round trip to open a connection, one per request). And the cost of a command as
// MS-WSMV lays it out: Command, each Receive, and the final Signal (3.1.4.14).
#include <atomic>
#include <catch2/catch.hpp>
#include <string>

#include "tests/unit/transports/loopback_http_server.h"
#include "transports/winrm/winrm_transport.h"
#include "transports/winrm/wsman_messages.h"

using lkr::test::LoopbackHttpServer;
using namespace std::chrono_literals;

namespace {

const std::string kType = "application/soap+xml;charset=UTF-8";

std::string envelope(const std::string& body) {
  return "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
         "xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\"><s:Body>" +
         body + "</s:Body></s:Envelope>";
}

const std::string kDone =
    "<rsp:ReceiveResponse><rsp:Stream Name=\"stdout\" CommandId=\"CMD-1\">aGk=</rsp:Stream>"
    "<rsp:CommandState CommandId=\"CMD-1\" State=\"http://schemas.microsoft.com/wbem/wsman/1/"
    "windows/shell/CommandState/Done\"><rsp:ExitCode>0</rsp:ExitCode></rsp:CommandState>"
    "</rsp:ReceiveResponse>";

// What Windows answers a Receive held for OperationTimeout without output.
const std::string kTimedOut =
    "<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:TimedOut</s:Value>"
    "</s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en-US\">timed out</s:Text></s:Reason>"
    "</s:Fault>";

// A WinRS server counting what reached it. `receives_held`: that many Receives are
// answered "timed out" first; `close_each`: the connection is closed after every reply.
struct CountingServer {
  std::atomic<int> requests{0}, connections{0}, receives{0}, signals{0};
  std::atomic<int> receives_held{0};
  bool close_each = false;
  LoopbackHttpServer server{[this](const lkr::test::HttpRequest& r, int fd) {
    ++requests;
    if (r.connection > connections) connections = r.connection;
    auto has = [&](const char* action) { return r.body.find(action) != std::string::npos; };
    std::string body;
    int status = 200;
    if (has(lkr::winrm::kActionCreate)) {
      body = "<rsp:Shell><rsp:ShellId>SHELL-1</rsp:ShellId></rsp:Shell>";
    } else if (has(lkr::winrm::kActionReceive)) {
      ++receives;
      if (receives_held > 0) {
        --receives_held;
        status = 500;
        body = kTimedOut;
      } else {
        body = kDone;
      }
    } else if (has(lkr::winrm::kActionSignal)) {
      ++signals;
      body = "<rsp:SignalResponse/>";
    } else if (has(lkr::winrm::kActionCommand)) {
      body = "<rsp:CommandResponse><rsp:CommandId>CMD-1</rsp:CommandId></rsp:CommandResponse>";
    }
    std::string extra = close_each ? "Connection: close\r\n" : "";
    LoopbackHttpServer::send_all(
        fd, LoopbackHttpServer::response(status, kType, envelope(body), extra));
    return !close_each;
  }};

  // Round trips as the server saw them: a connection's setup, then each request.
  long long seen() const { return connections + requests; }
};

lkr::WinrmOptions basic_http(int port) {
  lkr::WinrmOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.scheme = lkr::WinrmScheme::http;
  o.auth = lkr::WinrmAuth::basic;
  o.message_encryption = lkr::MessageEncryption::never;
  o.allow_unencrypted = true;
  o.user = "Administrator";
  o.password = "pw";
  return o;
}

const lkr::Command kHostname = lkr::program("C:\\Windows\\System32\\hostname.exe", {});

}  // namespace

TEST_CASE("WinRM: one connection and one shell; a command is Command, Receive and Signal",
          "[winrm][round-trips]") {
  CountingServer fake;
  lkr::WinrmTransport t(basic_http(fake.server.port()));
  t.connect();
  CHECK(t.round_trips() == fake.seen());
  CHECK(fake.requests == 1);  // Create shell
  for (int i = 0; i < 3; ++i) {
    long long before = t.round_trips();
    int requests_before = fake.requests, signals_before = fake.signals;
    auto r = t.run(kHostname, 10s);
    CHECK(r.stdout_utf8 == "hi");
    CHECK(t.round_trips() == fake.seen());
    CHECK(t.round_trips() - before == fake.requests - requests_before);
    CHECK(t.round_trips() - before == 3);
    CHECK(fake.signals - signals_before == 1);
  }
  CHECK(fake.connections == 1);
}

TEST_CASE("WinRM: a Receive held past OperationTimeout costs one more round trip",
          "[winrm][round-trips]") {
  CountingServer fake;
  lkr::WinrmTransport t(basic_http(fake.server.port()));
  t.connect();
  fake.receives_held = 2;
  long long before = t.round_trips();
  auto r = t.run(kHostname, 60s);
  CHECK(r.exit_code == 0);
  CHECK(fake.receives == 3);
  CHECK(t.round_trips() == fake.seen());
  CHECK(t.round_trips() - before == 1 + fake.receives + 1);
}

TEST_CASE("WinRM: a connection opened again costs its setup", "[winrm][round-trips]") {
  CountingServer fake;
  fake.close_each = true;
  lkr::WinrmTransport t(basic_http(fake.server.port()));
  t.connect();
  CHECK(t.round_trips() == fake.seen());
  long long before = t.round_trips();
  int connections_before = fake.connections;
  t.run(kHostname, 10s);
  CHECK(t.round_trips() == fake.seen());
  // Three requests, each on a connection of its own.
  CHECK(fake.connections - connections_before == 3);
  CHECK(t.round_trips() - before == 3 + 3);
}
