// The lab endpoint's HTTP authentication and body handling without the network: NTLM
// handshakes from our client, sealed and unsealed bodies, Basic, as Windows' WinRM
// service with its default configuration (Negotiate, AllowUnencrypted false) answers.
#include "tests/lab/winrm/request_handler.h"

#include <catch2/catch.hpp>
#include <string>

#include "transports/base64.h"
#include "transports/winrm/encrypted_message.h"
#include "transports/winrm/ntlm_auth.h"
#include "transports/winrm/wsman_messages.h"
#include "transports/winrm/wsman_reply.h"

using lab::winrm::Credentials;
using lab::winrm::RequestHandler;
using lab::winrm::ShellService;

namespace {

// No command runs in these tests: the shell service only parses envelopes.
struct Endpoint {
  ShellService service{"/nonexistent/lab-cmd", "/nonexistent/node", "http://127.0.0.1:5985/wsman"};
  Credentials credentials{"root", "pa55 word"};
};

std::optional<lab::winrm::HttpRequest> request(const std::string& headers) {
  return lab::winrm::parse_request_head("POST /wsman HTTP/1.1\r\nHost: x\r\n" + headers);
}

int status_of(const std::string& response) { return std::stoi(response.substr(9, 3)); }

std::string header_value(const std::string& response, const std::string& name) {
  size_t p = response.find("\r\n" + name + ": ");
  if (p == std::string::npos) return "";
  p += name.size() + 4;
  return response.substr(p, response.find("\r\n", p) - p);
}

std::string body_of(const std::string& response) {
  return response.substr(response.find("\r\n\r\n") + 4);
}

// Runs the NTLM handshake of `client` through `handler`, with the channel binding
// `bindings` (application data; empty: none); returns the last response.
std::string handshake(RequestHandler& handler, lkr::ntlm::NtlmClient& client,
                      const std::string& bindings = "") {
  auto first = handler.handle(
      request("Authorization: Negotiate " + lkr::base64_encode(client.negotiate()) + "\r\n"), "");
  REQUIRE(status_of(first.bytes) == 401);
  std::string offer = header_value(first.bytes, "WWW-Authenticate");
  REQUIRE(offer.rfind("Negotiate ", 0) == 0);
  auto challenge = lkr::base64_decode(offer.substr(10));
  REQUIRE(challenge);
  std::string authenticate = client.authenticate(*challenge, bindings);
  return handler
      .handle(request("Authorization: Negotiate " + lkr::base64_encode(authenticate) + "\r\n"), "")
      .bytes;
}

// What the endpoint's certificate would give (RFC 5929: the prefix and a hash), and a
// relaying man in the middle's.
const std::string kServerBindings = "tls-server-end-point:" + std::string(32, '\x11');
const std::string kRelayBindings = "tls-server-end-point:" + std::string(32, '\x22');

std::string create_shell() {
  lkr::winrm::MessageHeader h;
  h.to = "http://127.0.0.1:5985/wsman";
  h.message_id = lkr::winrm::new_message_id();
  return lkr::winrm::create_shell_request(h, 437);
}

}  // namespace

TEST_CASE("an unauthenticated request is offered Negotiate (and Basic)") {
  Endpoint e;
  RequestHandler handler(e.service, e.credentials, false);
  auto r = handler.handle(request("Content-Type: application/soap+xml\r\n"), create_shell());
  CHECK(status_of(r.bytes) == 401);
  CHECK(r.bytes.find("WWW-Authenticate: Negotiate\r\n") != std::string::npos);
  CHECK_FALSE(handler.ntlm_authenticated());
}

TEST_CASE("NTLM authenticates the connection; sealed bodies get sealed replies") {
  Endpoint e;
  RequestHandler handler(e.service, e.credentials, false);
  lkr::ntlm::NtlmClient client("root", "pa55 word");
  CHECK(status_of(handshake(handler, client)) == 200);
  REQUIRE(handler.ntlm_authenticated());

  lkr::ntlm::NtlmSealing sealing(client.keys(), lkr::ntlm::NtlmSealing::Side::client);
  auto r = handler.handle(
      request(std::string("Content-Type: ") + lkr::winrm::kEncryptedContentType + "\r\n"),
      lkr::winrm::encrypt_body(sealing, "<not-an-envelope/>"));
  // The service's fault (500) comes back sealed, and unseals with the client's keys.
  CHECK(status_of(r.bytes) == 500);
  CHECK(lkr::winrm::is_encrypted_content_type(header_value(r.bytes, "Content-Type")));
  std::string why;
  auto reply = lkr::winrm::decrypt_body(sealing, body_of(r.bytes), why);
  REQUIRE(reply);
  CHECK(lkr::winrm::parse_fault(*reply));
  CHECK(r.keep_alive);
}

TEST_CASE("an unsealed body over http after NTLM is refused with 400 and a fault") {
  Endpoint e;
  RequestHandler handler(e.service, e.credentials, false);
  lkr::ntlm::NtlmClient client("root", "pa55 word");
  REQUIRE(status_of(handshake(handler, client)) == 200);
  auto r = handler.handle(request("Content-Type: application/soap+xml;charset=UTF-8\r\n"),
                          create_shell());
  CHECK(status_of(r.bytes) == 400);
  auto fault = lkr::winrm::parse_fault(body_of(r.bytes));
  REQUIRE(fault);
  CHECK(fault->text().find("unencrypted") != std::string::npos);

  SECTION("over TLS the same unsealed body is served") {
    RequestHandler tls(e.service, e.credentials, true, "", kServerBindings);
    lkr::ntlm::NtlmClient c("root", "pa55 word");
    REQUIRE(status_of(handshake(tls, c, kServerBindings)) == 200);
    auto ok = tls.handle(request("Content-Type: application/soap+xml;charset=UTF-8\r\n"),
                         "<not-an-envelope/>");
    CHECK(status_of(ok.bytes) == 500);  // the service's own fault, not the refusal
    CHECK(body_of(ok.bytes).find("unencrypted") == std::string::npos);
  }
}

TEST_CASE("a wrong NTLM password, a tampered sealed body and a bad Basic are refused") {
  Endpoint e;
  RequestHandler handler(e.service, e.credentials, false);
  lkr::ntlm::NtlmClient wrong("root", "not it");
  CHECK(status_of(handshake(handler, wrong)) == 401);
  CHECK_FALSE(handler.ntlm_authenticated());

  lkr::ntlm::NtlmClient client("root", "pa55 word");
  REQUIRE(status_of(handshake(handler, client)) == 200);
  lkr::ntlm::NtlmSealing sealing(client.keys(), lkr::ntlm::NtlmSealing::Side::client);
  std::string body = lkr::winrm::encrypt_body(sealing, create_shell());
  body[body.size() - 40] ^= 1;
  auto r = handler.handle(
      request(std::string("Content-Type: ") + lkr::winrm::kEncryptedContentType + "\r\n"), body);
  CHECK(status_of(r.bytes) == 400);
  CHECK_FALSE(r.keep_alive);  // the RC4 streams are out of step: the connection ends

  RequestHandler basic(e.service, e.credentials, true);
  auto b = basic.handle(
      request("Authorization: Basic " + lkr::base64_encode("root:wrong") + "\r\n"), "x");
  CHECK(status_of(b.bytes) == 401);
}

TEST_CASE("over TLS an NTLM login must carry the endpoint's channel binding, as the level says") {
  using lab::winrm::CbtHardening;
  struct Case {
    CbtHardening level;
    std::string sent;  // the client's application data; empty: no MsvAvChannelBindings
    int status;
  };
  // Windows' CbtHardeningLevel: Strict needs the right one; Relaxed refuses only a wrong
  // one; None does not look.
  for (const Case& c :
       {Case{CbtHardening::strict, kServerBindings, 200}, Case{CbtHardening::strict, "", 401},
        Case{CbtHardening::strict, kRelayBindings, 401},
        Case{CbtHardening::relaxed, kServerBindings, 200}, Case{CbtHardening::relaxed, "", 200},
        Case{CbtHardening::relaxed, kRelayBindings, 401},
        Case{CbtHardening::none, kRelayBindings, 200}, Case{CbtHardening::none, "", 200}}) {
    INFO("level " << static_cast<int>(c.level) << ", sent " << c.sent.size() << " bytes");
    Endpoint e;
    e.credentials.cbt = c.level;
    RequestHandler tls(e.service, e.credentials, true, "", kServerBindings);
    lkr::ntlm::NtlmClient client("root", "pa55 word");
    CHECK(status_of(handshake(tls, client, c.sent)) == c.status);
    CHECK(tls.ntlm_authenticated() == (c.status == 200));
  }
  SECTION("over plain HTTP there is no channel, and Strict asks for none") {
    Endpoint e;
    RequestHandler plain(e.service, e.credentials, false);
    lkr::ntlm::NtlmClient client("root", "pa55 word");
    CHECK(status_of(handshake(plain, client)) == 200);
  }
}
