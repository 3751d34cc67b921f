// The attack "WinRM reply size is unbounded": a server that answers one Receive with far
// more output than --max-output allows (400 MB here, 1 MiB allowed) used to have the whole
// reply held, parsed and decoded (1.4 GB). The transport must stop reading the reply once
// it is past what the cap can use, stop the command, and say the output was cut.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "tests/unit/transports/loopback_http_server.h"
#include "tests/unit/transports/peak_rss.h"
#include "transports/winrm/winrm_transport.h"
#include "transports/winrm/wsman_messages.h"

LKR_SMALL_ASAN_QUARANTINE()

using Catch::Matchers::Contains;
using lkr::test::LoopbackHttpServer;
using namespace std::chrono_literals;

namespace {

constexpr size_t kCap = 1 << 20;
constexpr size_t kFlood = 400u << 20;  // output bytes in the one reply

const std::string kType = "application/soap+xml;charset=UTF-8";
const std::string kEnvelopeStart =
    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
    "xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\"><s:Body>";
const std::string kEnvelopeEnd = "</s:Body></s:Envelope>";

// A WinRS server (Basic over http, as message encryption "never" allows) whose Receive
// answers with `kFlood` bytes of stdout in one reply, streamed so the test itself never
// holds it.
struct FloodingServer {
  std::atomic<int> receives{0}, signals{0};
  std::atomic<bool> reply_cut{false};  // the client closed the connection before the end
  LoopbackHttpServer server{[this](const lkr::test::HttpRequest& r, int fd) {
    const std::string& b = r.body;
    auto has = [&](const char* action) { return b.find(action) != std::string::npos; };
    if (has(lkr::winrm::kActionCreate))
      return send(fd, "<rsp:Shell><rsp:ShellId>SHELL-1</rsp:ShellId></rsp:Shell>");
    if (has(lkr::winrm::kActionReceive)) {
      ++receives;
      return flood(fd);
    }
    if (has(lkr::winrm::kActionSignal)) {
      ++signals;
      return send(fd, "<rsp:SignalResponse/>");
    }
    if (has(lkr::winrm::kActionDelete)) return send(fd, "");
    return send(fd,
                "<rsp:CommandResponse><rsp:CommandId>CMD-1</rsp:CommandId>"
                "</rsp:CommandResponse>");
  }};

  static bool send(int fd, const std::string& body) {
    return LoopbackHttpServer::send_all(
        fd, LoopbackHttpServer::response(200, kType, kEnvelopeStart + body + kEnvelopeEnd));
  }

  bool flood(int fd) {
    std::string head =
        kEnvelopeStart + "<rsp:ReceiveResponse><rsp:Stream Name=\"stdout\" CommandId=\"CMD-1\">";
    std::string tail =
        "</rsp:Stream><rsp:CommandState CommandId=\"CMD-1\" State=\"http://schemas.microsoft."
        "com/wbem/wsman/1/windows/shell/CommandState/Done\"><rsp:ExitCode>0</rsp:ExitCode>"
        "</rsp:CommandState></rsp:ReceiveResponse>" +
        kEnvelopeEnd;
    size_t encoded = kFlood / 3 * 4;
    std::string start = "HTTP/1.1 200 OK\r\nContent-Type: " + kType + "\r\nContent-Length: " +
                        std::to_string(head.size() + encoded + tail.size()) + "\r\n\r\n" + head;
    if (!LoopbackHttpServer::send_all(fd, start)) return cut();
    std::string chunk;
    for (int i = 0; i < (1 << 18); ++i) chunk += "QUFB";  // base64 of "AAA", 1 MiB a send
    for (size_t sent = 0; sent < encoded; sent += chunk.size())
      if (!LoopbackHttpServer::send_all(fd,
                                        chunk.substr(0, std::min(chunk.size(), encoded - sent))))
        return cut();
    return LoopbackHttpServer::send_all(fd, tail);
  }

  bool cut() {
    reply_cut = true;
    return false;  // the connection is done
  }
};

}  // namespace

TEST_CASE(
    "a 400 MB Receive reply is cut at the cap: truncated, the command stopped, memory bounded") {
  FloodingServer fake;
  lkr::WinrmOptions o;
  o.host = "127.0.0.1";
  o.port = fake.server.port();
  o.scheme = lkr::WinrmScheme::http;
  o.auth = lkr::WinrmAuth::basic;
  o.message_encryption = lkr::MessageEncryption::never;
  o.allow_unencrypted = true;
  o.user = "Administrator";
  o.password = "pw";
  o.max_output_bytes = kCap;
  lkr::WinrmTransport t(o);
  t.connect();
  size_t before = lkr::test::peak_rss_bytes();
  auto start = std::chrono::steady_clock::now();
  auto r = t.run(lkr::builtin("type", {"C:\\flood.txt"}), 120s);
  size_t growth = lkr::test::peak_rss_bytes() - before;
  INFO("peak RSS grew by " << growth / 1024 << " KiB; took "
                           << std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - start)
                                  .count()
                           << " ms");
  CHECK(r.truncated);
  CHECK(r.stdout_utf8.size() <= kCap);
  CHECK(fake.reply_cut);     // the rest of the reply was never read
  CHECK(fake.signals == 1);  // and the command was stopped
  // Twice the cap per stream, and room for the process's own bookkeeping.
  CHECK(growth < 2 * 2 * kCap + (16u << 20));
}
