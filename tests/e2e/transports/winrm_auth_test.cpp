// The WinRM transport's auth modes beyond Basic against the lab's WinRM endpoint over
// loopback: NTLMv2 with message encryption over plain HTTP, as `winrm quickconfig` leaves
// Windows (one handshake per connection, every envelope sealed), NTLM over HTTPS, the
// endpoint's refusal of unsealed bodies over HTTP, a wrong password; client certificate
// auth over HTTPS.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <string>

#include "tests/e2e/transports/winrm_test_support.h"
#include "tests/lab/driver/tests/lab_fixture.h"
#include "transports/winrm/http_session.h"
#include "transports/winrm/winrm_transport.h"
#include "transports/winrm/wsman_messages.h"
#include "transports/winrm/wsman_reply.h"

using lab::testing::LabFixture;
using lkr::TransportError;
using lkr::WinrmOptions;
using lkr::WinrmTransport;
using namespace std::chrono_literals;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kNode = "BENHOGAN2008";

WinrmOptions ntlm_options(const LabFixture& fx, const std::string& scheme = "http") {
  return lkr::test::lab_winrm_options(fx, kNode, "ntlm", scheme);
}

}  // namespace

TEST_CASE("NTLM with message encryption over http: one handshake, one shell, sealed output") {
  // The scenario's defaults: "winrm_auth": "ntlm" over "http".
  LabFixture fx(lkr::test::winrm_variant(kSeed, "ntlm", "http"));
  const lab::LabNode& n = lab::resolve_node(fx.record(), kNode);
  std::string big;
  for (int i = 0; i < 8000; ++i) big += "line " + std::to_string(i) + " sealed in RC4\r\n";
  std::ofstream(n.node_dir + "/C/big.txt", std::ios::binary) << big;

  WinrmTransport t(ntlm_options(fx));
  t.connect();
  CHECK(t.endpoint().find("(ntlm)") != std::string::npos);
  auto host = t.run_line("hostname", 10s);
  CHECK(host.exit_code == 0);
  CHECK(host.stdout_utf8 == "BENHOGAN2008\r\n");
  auto missing = t.run_line("nosuchprogram", 10s);
  CHECK(missing.exit_code != 0);
  CHECK(missing.stderr_utf8.find("is not recognized") != std::string::npos);
  // Many Receives, each sealed with the continuing RC4 streams of the connection.
  auto whole = t.run_line("type C:\\big.txt", 60s);
  CHECK(whole.stdout_utf8 == big);
  for (int i = 0; i < 20; ++i) CHECK(t.run_line("hostname", 10s).exit_code == 0);
  CHECK(t.connections_opened() == 1);
  CHECK(t.authentications() == 1);
  CHECK(fx.dump(kNode)["journal"].size() == 23u);
}

TEST_CASE("NTLM over https: unsealed by default (auto), sealed when always") {
  LabFixture fx(lkr::test::winrm_variant(kSeed, "ntlm", "https"));
  for (auto encryption : {lkr::MessageEncryption::automatic, lkr::MessageEncryption::always}) {
    WinrmOptions o = ntlm_options(fx, "https");
    o.message_encryption = encryption;
    WinrmTransport t(o);
    t.connect();
    INFO(to_string(encryption));
    CHECK(t.run_line("hostname", 10s).stdout_utf8 == "BENHOGAN2008\r\n");
    CHECK(t.authentications() == 1);
  }
}

TEST_CASE("the endpoint refuses an unsealed body over http once NTLM is on, as Windows does") {
  LabFixture fx(lkr::test::winrm_variant(kSeed, "ntlm", "http"));
  WinrmOptions o = ntlm_options(fx);
  o.message_encryption = lkr::MessageEncryption::never;
  // At the HTTP level: authenticated, then HTTP 400 with a WS-Management fault.
  lkr::winrm::HttpSession http(o);
  lkr::winrm::MessageHeader h;
  h.to = http.url();
  h.message_id = lkr::winrm::new_message_id();
  auto reply = http.post(lkr::winrm::create_shell_request(h, 437), 10s);
  CHECK(http.authentications() == 1);
  CHECK(reply.status == 400);
  auto fault = lkr::winrm::parse_fault(reply.body);
  REQUIRE(fault);
  CHECK(fault->text().find("unencrypted") != std::string::npos);

  // Through the transport: the fault's text, naming the endpoint and its auth mode.
  WinrmTransport t(o);
  try {
    t.connect();
    FAIL("an unsealed Create shell was accepted over http");
  } catch (const TransportError& e) {
    std::string message = e.what();
    CHECK(message.find("unencrypted") != std::string::npos);
    CHECK(message.find(o.host) != std::string::npos);
    CHECK(message.find("(ntlm)") != std::string::npos);
  }
  CHECK(fx.dump(kNode)["journal"].empty());
}

TEST_CASE("a wrong NTLM password is refused with 401, naming host and auth, not the secret") {
  LabFixture fx(lkr::test::winrm_variant(kSeed, "ntlm", "http"));
  WinrmOptions o = ntlm_options(fx);
  o.password = "wrong-password-4e7d";
  WinrmTransport t(o);
  try {
    t.connect();
    FAIL("a wrong password was accepted");
  } catch (const TransportError& e) {
    std::string message = e.what();
    CHECK(e.kind == TransportError::Kind::auth);
    CHECK(message.find("401") != std::string::npos);
    CHECK(message.find(o.host) != std::string::npos);
    CHECK(message.find("(ntlm)") != std::string::npos);
    CHECK(message.find(o.password) == std::string::npos);
    CHECK(message.find(lkr::test::lab_winrm_password(fx)) == std::string::npos);
  }
  o.user = "someone-else";
  o.password = lkr::test::lab_winrm_password(fx);
  WinrmTransport other(o);
  CHECK_THROWS_AS(other.connect(), TransportError);
  // No password at all: said so, with where to give one, not "refused the credentials".
  o = ntlm_options(fx);
  o.password.clear();
  WinrmTransport none(o);
  try {
    none.connect();
    FAIL("no password was accepted");
  } catch (const TransportError& e) {
    std::string message = e.what();
    INFO(message);
    CHECK(e.kind == TransportError::Kind::auth);
    CHECK(message.find("none was given") != std::string::npos);
    CHECK(message.find("--ask-pass") != std::string::npos);
    CHECK(message.find("refused the credentials") == std::string::npos);
  }
}

TEST_CASE("certificate auth over https: the lab CA's client certificate maps to the user") {
  LabFixture fx(lkr::test::winrm_variant(kSeed, "certificate", "https"));
  const std::string state = fx.state_dir();
  WinrmOptions o = ntlm_options(fx, "https");
  o.auth = lkr::WinrmAuth::certificate;
  o.password.clear();  // no password at all: the certificate is the credential
  o.cert_pem = state + "/winrm_client_cert.pem";
  o.cert_key_pem = state + "/winrm_client_key.pem";
  WinrmTransport t(o);
  t.connect();
  CHECK(t.endpoint().find("(certificate)") != std::string::npos);
  CHECK(t.run_line("hostname", 10s).stdout_utf8 == "BENHOGAN2008\r\n");
  CHECK(t.connections_opened() == 1);

  // The inventory `lab up` wrote names the same files.
  std::string inventory = lkr::test::read_text(fx.record().inventory);
  CHECK(inventory.find("ansible_winrm_transport: certificate") != std::string::npos);
  CHECK(inventory.find("ansible_winrm_cert_pem: " + o.cert_pem) != std::string::npos);
  CHECK(inventory.find("ansible_winrm_cert_key_pem: " + o.cert_key_pem) != std::string::npos);

  SECTION("a certificate the lab's CA did not issue is refused with 401") {
    // The node's own server certificate: issued by the lab's CA, but for another name
    // (its address), so it maps to no user.
    const lab::LabNode& n = lab::resolve_node(fx.record(), kNode);
    WinrmOptions other = o;
    other.cert_pem = n.node_dir + "/winrm_cert.pem";
    other.cert_key_pem = n.node_dir + "/winrm_key.pem";
    WinrmTransport refused(other);
    try {
      refused.connect();
      FAIL("a certificate naming no user was accepted");
    } catch (const TransportError& e) {
      std::string message = e.what();
      CHECK(e.kind == TransportError::Kind::auth);
      CHECK(message.find("401") != std::string::npos);
      CHECK(message.find("(certificate)") != std::string::npos);
      CHECK(message.find(o.host) != std::string::npos);
    }
  }
  SECTION("a missing key file is reported as such, before anything runs") {
    WinrmOptions broken = o;
    broken.cert_key_pem = state + "/no-such-key.pem";
    WinrmTransport t2(broken);
    try {
      t2.connect();
      FAIL("connected without a key");
    } catch (const TransportError& e) {
      CHECK(e.kind == TransportError::Kind::auth);
      CHECK(std::string(e.what()).find("ansible_winrm_cert_key_pem") != std::string::npos);
    }
  }
  SECTION("certificate auth over http is refused at connect") {
    WinrmOptions http = o;
    http.scheme = lkr::WinrmScheme::http;
    WinrmTransport t3(http);
    try {
      t3.connect();
      FAIL("certificate auth over http was attempted");
    } catch (const TransportError& e) {
      CHECK(e.kind == TransportError::Kind::auth);
      CHECK(std::string(e.what()).find("https") != std::string::npos);
    }
  }
}
