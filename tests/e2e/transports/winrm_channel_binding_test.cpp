// Channel binding over https (Extended Protection for Authentication) against the lab's
// WinRM endpoint, which checks it as Windows does with CbtHardeningLevel Strict (the
// lab's default; "winrm_cbt" in the scenario): NTLM and Kerberos (the lab's real KDC)
// log in with the binding on by default; with ansible_winrm_send_cbt: false a Strict
// node refuses them with a 401 whose message names channel binding and the variable;
// and a man in the middle who relays the login over TLS connections of his own (a
// certificate the client trusts, every byte passed on unchanged) is refused, because
// the binding the client computed names his certificate, not the node's. The same relay
// gets through to a node that does not check (None), so the refusal is the binding's.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/e2e/transports/tls_relay.h"
#include "tests/e2e/transports/winrm_test_support.h"
#include "tests/lab/driver/tests/lab_fixture.h"
#include "tests/lab/driver/winrm_setup.h"
#include "transports/winrm/winrm_transport.h"

using lab::testing::LabFixture;
using lkr::TransportError;
using lkr::WinrmOptions;
using lkr::WinrmTransport;
using namespace std::chrono_literals;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kStrict = "BENHOGAN2008";  // the lab's default level
const std::string kOther = "GPLAYER2008";    // the level each test gives it

// The seed with both nodes on WinRM over https with `auth`, and kOther's "winrm_cbt".
std::string scenario(const std::string& auth, const std::string& other_level) {
  std::string variant = lkr::test::winrm_variant(kSeed, auth, "https");
  nlohmann::json s = nlohmann::json::parse(lkr::test::read_text(variant));
  for (auto& n : s["clusters"][0]["nodes"])
    if (n["system"] == kOther) n["winrm_cbt"] = other_level;
  std::string path = variant + "." + other_level + ".json";
  std::ofstream(path) << s.dump(1);
  return path;
}

// The lab's krb5.conf and a credential cache of the test's own (never the runner's).
struct KerberosEnv {
  std::string dir = lab::testing::make_temp_dir("lkr-cbt-cc");
  explicit KerberosEnv(const LabFixture& fx) {
    setenv("KRB5_CONFIG", fx.record().krb5_config.c_str(), 1);
    setenv("KRB5CCNAME", ("FILE:" + dir + "/ccache").c_str(), 1);
  }
  ~KerberosEnv() {
    unsetenv("KRB5_CONFIG");
    unsetenv("KRB5CCNAME");
    lab::testing::remove_tree(dir);
  }
};

// connect()'s failure, checked for what every auth failure must say.
std::string refusal(const WinrmOptions& o, const LabFixture& fx) {
  WinrmTransport t(o);
  try {
    t.connect();
  } catch (const TransportError& e) {
    std::string message = e.what();
    INFO(message);
    CHECK(e.kind == TransportError::Kind::auth);
    CHECK(message.find("HTTP 401") != std::string::npos);
    CHECK(message.find(lkr::test::lab_winrm_password(fx)) == std::string::npos);
    return message;
  }
  FAIL("connected although the node should have refused the login");
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Over https to a Strict node: in with the binding (the default), out without it, with
// the message that says why; over http the setting changes nothing.
void binding_is_required(const LabFixture& fx, const std::string& auth) {
  WinrmOptions on = lkr::test::lab_winrm_options(fx, kStrict, auth, "https");
  REQUIRE(on.send_cbt);  // ansible_winrm_send_cbt defaults to true
  WinrmTransport t(on);
  CHECK(t.notices().empty());
  t.connect();
  CHECK(t.run_line("hostname", 10s).stdout_utf8 == "BENHOGAN2008\r\n");
  CHECK(t.authentications() == 1);
  CHECK(t.connections_opened() == 1);  // the Kerberos probe before the token reuses it

  WinrmOptions off = on;
  off.send_cbt = false;
  WinrmTransport quiet(off);
  REQUIRE(quiet.notices().size() == 1);
  CHECK(contains(quiet.notices()[0], "channel binding is off"));
  CHECK(contains(quiet.notices()[0], "ansible_winrm_send_cbt: false"));
  std::string message = refusal(off, fx);
  INFO(message);
  CHECK(contains(message, "(" + auth + ")"));
  CHECK(contains(message, "channel binding is off"));
  CHECK(contains(message, "ansible_winrm_send_cbt"));
  CHECK(contains(message, "CbtHardeningLevel Strict"));
  CHECK(fx.dump(kStrict)["journal"].size() == 1u);  // only the first login ran a command

  WinrmOptions http = lkr::test::lab_winrm_options(fx, kStrict, auth, "http");
  http.send_cbt = false;
  WinrmTransport plain(http);
  CHECK(plain.notices().empty());
  plain.connect();
  CHECK(plain.run_line("hostname", 10s).exit_code == 0);
}

// The client talks TLS to the relay, which holds a certificate of the lab's CA for its
// own address: verification passes, the client computes the binding from the relay's
// certificate. `node` is where the relay sends everything.
struct Relay {
  std::string address, dir;
  std::unique_ptr<lkr::test::TlsRelay> relay;
  Relay(const LabFixture& fx, const std::string& node_name) {
    const lab::LabNode& node = lab::resolve_node(fx.record(), node_name);
    address = node.address.substr(0, node.address.rfind('.')) + ".250";  // the lab's subnet
    dir = fx.state_dir() + "/relay-" + node_name;
    std::filesystem::create_directories(dir);
    lab::create_winrm_certificate(fx.state_dir(), dir, address);
    relay = std::make_unique<lkr::test::TlsRelay>(address, dir + "/winrm_cert.pem",
                                                  dir + "/winrm_key.pem", node.address,
                                                  node.winrm_https_port);
  }
  // What the client is told: the relay's address and port, the node's Kerberos name.
  WinrmOptions options(const LabFixture& fx, const std::string& node_name,
                       const std::string& auth) const {
    WinrmOptions o = lkr::test::lab_winrm_options(fx, node_name, auth, "https");
    o.kerberos_hostname = o.host;
    o.host = address;
    o.port = relay->port();
    return o;
  }
};

void relayed_login_is_refused(const LabFixture& fx, const std::string& auth) {
  // Straight to the node, the same client and settings get in.
  WinrmTransport direct(lkr::test::lab_winrm_options(fx, kStrict, auth, "https"));
  direct.connect();
  direct.close();

  Relay to_strict(fx, kStrict);
  std::string message = refusal(to_strict.options(fx, kStrict, auth), fx);
  INFO(message);
  CHECK(to_strict.relay->connections_relayed() >= 1);  // the login did reach the node
  CHECK(contains(message, "re-encrypts TLS"));
  CHECK(fx.dump(kStrict)["journal"].empty());

  // The same relay to a node that does not check: the login and a command go through.
  Relay to_none(fx, kOther);
  WinrmTransport t(to_none.options(fx, kOther, auth));
  t.connect();
  CHECK(t.run_line("hostname", 10s).stdout_utf8 == "GPLAYER2008\r\n");
  CHECK(to_none.relay->connections_relayed() >= 1);
}

}  // namespace

TEST_CASE("NTLM over https to a Strict node: bound by default, refused without the binding") {
  LabFixture fx(scenario("ntlm", "none"));
  binding_is_required(fx, "ntlm");
}

TEST_CASE("Kerberos over https to a Strict node: bound by default, refused without the binding") {
  LabFixture fx(scenario("kerberos", "none"));
  KerberosEnv env(fx);
  binding_is_required(fx, "kerberos");
}

TEST_CASE("an NTLM login relayed through a man in the middle's TLS is refused (Strict)") {
  LabFixture fx(scenario("ntlm", "none"));
  relayed_login_is_refused(fx, "ntlm");
}

TEST_CASE("a Kerberos login relayed through a man in the middle's TLS is refused (Strict)") {
  LabFixture fx(scenario("kerberos", "none"));
  KerberosEnv env(fx);
  relayed_login_is_refused(fx, "kerberos");
}

TEST_CASE("a Relaxed node lets a login without the binding in, but not one with a relay's") {
  LabFixture fx(scenario("ntlm", "relaxed"));
  WinrmOptions off = lkr::test::lab_winrm_options(fx, kOther, "ntlm", "https");
  off.send_cbt = false;
  WinrmTransport t(off);
  t.connect();
  CHECK(t.run_line("hostname", 10s).stdout_utf8 == "GPLAYER2008\r\n");
  Relay relay(fx, kOther);
  std::string message = refusal(relay.options(fx, kOther, "ntlm"), fx);
  INFO(message);
  CHECK(contains(message, "re-encrypts TLS"));
  CHECK(fx.dump(kOther)["journal"].size() == 1u);
}
