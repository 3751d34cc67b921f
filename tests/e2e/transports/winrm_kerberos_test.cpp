// The WinRM transport with Kerberos against the lab: a real MIT KDC that `lab up` starts
// for "winrm_auth": "kerberos" nodes, the lab's endpoint accepting SPNEGO through GSSAPI
// with the node's HTTP/<address> keytab. A ticket from the password in memory (no
// credential cache file written) or from a kinit'ed cache; message encryption over http
// (gss_wrap_iov, one handshake per connection), https with and without it; the failures
// (wrong password, wrong realm, no ticket, KDC down) named with host and auth mode and
// never the password.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/e2e/transports/winrm_test_support.h"
#include "tests/lab/driver/process_tree.h"
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

// The lab's krb5.conf for MIT krb5 in this process (KRB5_CONFIG, as a user of the product
// sets it), and a credential cache of the test's own that starts empty (KRB5CCNAME), so a
// ticket of whoever runs the tests is never used.
struct KerberosEnv {
  std::string dir = lab::testing::make_temp_dir("lkr-krb5-cc");
  std::string ccache = dir + "/ccache";
  explicit KerberosEnv(const LabFixture& fx) {
    setenv("KRB5_CONFIG", fx.record().krb5_config.c_str(), 1);
    setenv("KRB5CCNAME", ("FILE:" + ccache).c_str(), 1);
  }
  ~KerberosEnv() {
    unsetenv("KRB5_CONFIG");
    unsetenv("KRB5CCNAME");
    lab::testing::remove_tree(dir);
  }
  // kinit with the password on stdin (never on a command line).
  void kinit(const std::string& principal, const std::string& password) const {
    auto r = lab::run_process({"kinit", principal}, 30000, password + "\n");
    INFO(r.out << r.err);
    REQUIRE(r.rc == 0);
  }
};

WinrmOptions kerberos_options(const LabFixture& fx, const std::string& scheme = "http") {
  return lkr::test::lab_winrm_options(fx, kNode, "kerberos", scheme);
}

// The failure message of connect(), checked for what every auth error must say.
std::string connect_failure(const WinrmOptions& o, const std::string& secret) {
  WinrmTransport t(o);
  try {
    t.connect();
  } catch (const TransportError& e) {
    std::string message = e.what();
    INFO(message);
    CHECK(e.kind == TransportError::Kind::auth);
    CHECK(message.find(o.host) != std::string::npos);
    CHECK(message.find("(kerberos)") != std::string::npos);
    CHECK(message.find(secret) == std::string::npos);
    if (!o.password.empty()) CHECK(message.find(o.password) == std::string::npos);
    return message;
  }
  FAIL("connected although it should not have");
  return "";
}

}  // namespace

TEST_CASE("Kerberos with message encryption over http: a ticket from the password, in memory") {
  LabFixture fx(lkr::test::winrm_variant(kSeed, "kerberos", "http"));
  KerberosEnv env(fx);
  REQUIRE(fx.record().kerberos_realm == "LAB.TEST");
  REQUIRE(lab::process_alive(fx.record().kdc_pid));
  const lab::LabNode& n = lab::resolve_node(fx.record(), kNode);
  std::string big;
  for (int i = 0; i < 8000; ++i) big += "line " + std::to_string(i) + " wrapped with AES\r\n";
  std::ofstream(n.node_dir + "/C/big.txt", std::ios::binary) << big;

  WinrmTransport t(kerberos_options(fx));
  t.connect();
  CHECK(t.endpoint().find("(kerberos)") != std::string::npos);
  auto host = t.run_line("hostname", 10s);
  CHECK(host.exit_code == 0);
  CHECK(host.stdout_utf8 == "BENHOGAN2008\r\n");
  auto missing = t.run_line("nosuchprogram", 10s);
  CHECK(missing.exit_code != 0);
  CHECK(missing.stderr_utf8.find("is not recognized") != std::string::npos);
  auto whole = t.run_line("type C:\\big.txt", 60s);  // many Receives, each sealed
  CHECK(whole.stdout_utf8 == big);
  for (int i = 0; i < 20; ++i) CHECK(t.run_line("hostname", 10s).exit_code == 0);
  CHECK(t.connections_opened() == 1);
  CHECK(t.authentications() == 1);
  CHECK(fx.dump(kNode)["journal"].size() == 23u);
  // The ticket came from the password in memory: no credential cache was written.
  CHECK_FALSE(std::filesystem::exists(env.ccache));
  // The KDC issued the ticket for the node's service principal.
  std::string kdc_log = lkr::test::read_text(fx.state_dir() + "/krb5/kdc.log");
  CHECK(kdc_log.find("for HTTP/" + n.address + "@LAB.TEST") != std::string::npos);

  SECTION("the service principal follows ansible_winrm_service and _hostname_override") {
    // A principal the KDC does not know: the override is what is asked for.
    WinrmOptions o = kerberos_options(fx);
    o.kerberos_hostname = "elsewhere.lab.test";
    std::string message = connect_failure(o, "no-secret-given");
    CHECK(message.find("elsewhere.lab.test") != std::string::npos);
    CHECK(lkr::test::read_text(fx.state_dir() + "/krb5/kdc.log").find("HTTP/elsewhere.lab.test") !=
          std::string::npos);
    WinrmOptions service = kerberos_options(fx);
    service.kerberos_service = "WSMAN";
    connect_failure(service, "no-secret-given");
    CHECK(lkr::test::read_text(fx.state_dir() + "/krb5/kdc.log").find("WSMAN/" + n.address) !=
          std::string::npos);
    // Naming the node's own principal explicitly works as the default does.
    WinrmOptions same = kerberos_options(fx);
    same.kerberos_hostname = n.address;
    WinrmTransport r(same);
    r.connect();
    CHECK(r.run_line("hostname", 10s).stdout_utf8 == "BENHOGAN2008\r\n");
  }

  SECTION("the user may name the realm") {
    WinrmOptions o = kerberos_options(fx);
    o.user = "root@LAB.TEST";
    WinrmTransport r(o);
    r.connect();
    CHECK(r.run_line("hostname", 10s).stdout_utf8 == "BENHOGAN2008\r\n");
  }
}

TEST_CASE("a realm named by the scenario; lab down stops the KDC") {
  // The optional top-level "kerberos_realm"; only BENHOGAN2008 says "winrm_auth": "kerberos".
  std::string variant = lkr::test::winrm_variant(kSeed, "kerberos", "http", kNode);
  nlohmann::json scenario = nlohmann::json::parse(lkr::test::read_text(variant));
  scenario["kerberos_realm"] = "LKR-TEST.EXAMPLE";
  std::string path = variant + ".realm.json";
  std::ofstream(path) << scenario.dump(1);
  LabFixture fx(path);
  KerberosEnv env(fx);
  CHECK(fx.record().kerberos_realm == "LKR-TEST.EXAMPLE");
  int kdc = fx.record().kdc_pid;
  REQUIRE(lab::process_alive(kdc));
  CHECK(lab::process_cmdline(kdc).find(fx.state_dir() + "/krb5/") != std::string::npos);
  // Only the Kerberos node has a service principal and a keytab.
  const lab::LabNode& n = lab::resolve_node(fx.record(), kNode);
  const lab::LabNode& other = lab::resolve_node(fx.record(), "GPLAYER2008");
  CHECK(std::filesystem::exists(fx.state_dir() + "/krb5/HTTP_" + n.address + ".keytab"));
  CHECK_FALSE(std::filesystem::exists(fx.state_dir() + "/krb5/HTTP_" + other.address + ".keytab"));
  WinrmOptions o = kerberos_options(fx);
  o.user = "root@LKR-TEST.EXAMPLE";
  WinrmTransport t(o);
  t.connect();
  CHECK(t.run_line("hostname", 10s).stdout_utf8 == "BENHOGAN2008\r\n");
  t.close();
  auto down = fx.down();
  INFO(down.out << down.err);
  CHECK(down.rc == 0);
  CHECK_FALSE(lab::process_alive(kdc));
}

TEST_CASE("the KDC of a lab whose folder was removed without lab down is stopped by the next") {
  const std::string scenario = lkr::test::winrm_variant(kSeed, "kerberos", "http");
  int kdc = 0;
  {
    LabFixture first(scenario);
    kdc = first.record().kdc_pid;
    lab::testing::remove_tree(first.state_dir());  // as when a test is killed from outside
    REQUIRE(lab::process_alive(kdc));
  }  // its `lab down` finds neither record nor folder
  REQUIRE(lab::process_alive(kdc));
  LabFixture second(scenario);
  CHECK_FALSE(lab::process_alive(kdc));
  CHECK(lab::process_alive(second.record().kdc_pid));
}

TEST_CASE("Kerberos over https: unsealed by default (auto), sealed when always") {
  LabFixture fx(lkr::test::winrm_variant(kSeed, "kerberos", "https"));
  KerberosEnv env(fx);
  for (auto encryption : {lkr::MessageEncryption::automatic, lkr::MessageEncryption::always}) {
    INFO(to_string(encryption));
    WinrmOptions o = kerberos_options(fx, "https");
    o.message_encryption = encryption;
    WinrmTransport t(o);
    t.connect();
    CHECK(t.run_line("hostname", 10s).stdout_utf8 == "BENHOGAN2008\r\n");
    CHECK(t.authentications() == 1);
  }
}

TEST_CASE("Kerberos with a kinit ticket (no password), and its failures") {
  LabFixture fx(lkr::test::winrm_variant(kSeed, "kerberos", "http"));
  KerberosEnv env(fx);
  const std::string secret = lkr::test::lab_winrm_password(fx);
  WinrmOptions o = kerberos_options(fx);
  o.password.clear();

  SECTION("no ticket and no password: kinit or give a password") {
    std::string message = connect_failure(o, secret);
    INFO(message);
    CHECK(message.find("kinit") != std::string::npos);
    CHECK(message.find("password") != std::string::npos);
  }
  SECTION("a ticket from kinit in the default credential cache") {
    env.kinit("root@LAB.TEST", secret);
    WinrmTransport t(o);
    t.connect();
    CHECK(t.run_line("hostname", 10s).stdout_utf8 == "BENHOGAN2008\r\n");
    CHECK(fx.dump(kNode)["journal"].size() == 1u);
  }
  SECTION("a wrong password") {
    o.password = "wrong-password-4e7d";
    std::string message = connect_failure(o, secret);
    INFO(message);
    CHECK(message.find("refused the password") != std::string::npos);
  }
  SECTION("a user in a realm the KDC does not serve") {
    o.password = secret;
    o.user = "root@OTHER.TEST";
    std::string message = connect_failure(o, secret);
    INFO(message);
    CHECK(message.find("realm") != std::string::npos);
    CHECK(message.find("OTHER.TEST") != std::string::npos);
  }
  SECTION("the KDC is down") {
    o.password = secret;
    lab::stop_processes({fx.record().kdc_pid}, 2000ms);
    std::string message = connect_failure(o, secret);
    INFO(message);
    CHECK(message.find("KDC cannot be reached") != std::string::npos);
  }
  CHECK(fx.dump(kNode)["journal"].size() <= 1u);
}

TEST_CASE("the endpoint refuses an unsealed body over http once Kerberos is on") {
  LabFixture fx(lkr::test::winrm_variant(kSeed, "kerberos", "http"));
  KerberosEnv env(fx);
  WinrmOptions o = kerberos_options(fx);
  o.message_encryption = lkr::MessageEncryption::never;
  lkr::winrm::HttpSession http(o);
  lkr::winrm::MessageHeader h;
  h.to = http.url();
  h.message_id = lkr::winrm::new_message_id();
  auto reply = http.post(lkr::winrm::create_shell_request(h, 437), 10s);
  CHECK(http.authentications() == 1);  // the handshake itself succeeded
  CHECK(reply.status == 400);
  auto fault = lkr::winrm::parse_fault(reply.body);
  REQUIRE(fault);
  CHECK(fault->text().find("unencrypted") != std::string::npos);
  CHECK(fx.dump(kNode)["journal"].empty());
}
