// An independent client proves the lab speaks WinRM: Debian's python3-winrm (pywinrm)
// runs commands on a lab node with Basic auth over HTTPS, its certificate verified
// against the lab's CA, and with NTLM (python3-requests-ntlm, ntlm-auth) with message
// encryption over plain HTTP, with a client certificate (certificate auth) over HTTPS, and
// with Kerberos (python3-requests-kerberos, python3-kerberos) with message encryption
// over plain HTTP, its ticket from kinit against the lab's KDC; and NTLM over HTTPS with
// requests-ntlm's channel binding, which the lab's Strict node must accept.
// In CI (CI=true) a missing package fails the test.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/e2e/transports/winrm_test_support.h"
#include "tests/lab/driver/process_runner.h"
#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kPython = "/usr/bin/python3";  // Debian's, where python3-winrm installs
const std::string kScript = std::string(PYWINRM_SCRIPT);

bool pywinrm_present() {
  auto r = lab::run_process({kPython, "-c", "import winrm"}, 30000);
  if (r.rc == 0) return true;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string(ci) == "true")
    FAIL("python3-winrm is missing (CI=true): install it with scripts/deps");
  WARN("SKIPPED: python3-winrm is not installed (scripts/deps installs it)");
  return false;
}

bool requests_ntlm_present() {
  auto r = lab::run_process({kPython, "-c", "import requests_ntlm, ntlm_auth"}, 30000);
  if (r.rc == 0) return true;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string(ci) == "true")
    FAIL("python3-requests-ntlm is missing (CI=true): install it with scripts/deps");
  WARN("SKIPPED: python3-requests-ntlm is not installed (scripts/deps installs it)");
  return false;
}

bool requests_kerberos_present() {
  auto r = lab::run_process({kPython, "-c", "import requests_kerberos, kerberos"}, 30000);
  bool kinit = access("/usr/bin/kinit", X_OK) == 0;
  if (r.rc == 0 && kinit) return true;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string(ci) == "true")
    FAIL(
        "python3-requests-kerberos, python3-kerberos or krb5-user (kinit) is missing (CI=true): "
        "install them with scripts/deps");
  WARN(
      "SKIPPED: python3-requests-kerberos, python3-kerberos or kinit is not installed "
      "(scripts/deps installs them)");
  return false;
}

// Debian 12's OpenSSL 3 keeps MD4 (which NTLM's NTOWF needs) in the legacy provider,
// which it does not load by default; ntlm-auth hashes through Python's hashlib, so the
// pywinrm process gets a configuration that activates it (as a Debian user of pywinrm
// with NTLM must do). Our own client implements MD4 itself and needs none of this.
std::string legacy_openssl_conf() {
  static const std::string path = [] {
    std::string dir = lab::testing::make_temp_dir("lkr-pywinrm-openssl");
    std::string p = dir + "/openssl.cnf";
    std::ofstream(p) << "openssl_conf = openssl_init\n[openssl_init]\nproviders = provider_sect\n"
                        "[provider_sect]\ndefault = default_sect\nlegacy = legacy_sect\n"
                        "[default_sect]\nactivate = 1\n[legacy_sect]\nactivate = 1\n";
    return p;
  }();
  return path;
}

struct PywinrmTarget {
  std::string transport = "basic", scheme = "https", encryption = "auto";
  bool send_cbt = true;  // pywinrm's default
};

nlohmann::json run_pywinrm(const LabFixture& fx, const std::string& node,
                           const std::string& password, const std::vector<std::string>& command,
                           const PywinrmTarget& target = {}) {
  const lab::LabNode& n = lab::resolve_node(fx.record(), node);
  int port = target.scheme == "https" ? n.winrm_https_port : n.winrm_http_port;
  std::string url = target.scheme + "://" + n.address + ":" + std::to_string(port) + "/wsman";
  std::vector<std::string> argv{kPython, kScript,          url,
                                "root",  target.transport, fx.record().winrm_ca};
  argv.insert(argv.end(), command.begin(), command.end());
  setenv("LKR_WINRM_PASSWORD", password.c_str(), 1);
  setenv("LKR_WINRM_ENCRYPTION", target.encryption.c_str(), 1);
  setenv("LKR_WINRM_SEND_CBT", target.send_cbt ? "true" : "false", 1);
  if (target.transport == "ntlm") setenv("OPENSSL_CONF", legacy_openssl_conf().c_str(), 1);
  if (target.transport == "certificate") {
    setenv("LKR_WINRM_CERT_PEM", (fx.state_dir() + "/winrm_client_cert.pem").c_str(), 1);
    setenv("LKR_WINRM_CERT_KEY_PEM", (fx.state_dir() + "/winrm_client_key.pem").c_str(), 1);
  }
  auto r = lab::run_process(argv, 60000);
  unsetenv("LKR_WINRM_PASSWORD");
  unsetenv("LKR_WINRM_ENCRYPTION");
  unsetenv("LKR_WINRM_SEND_CBT");
  unsetenv("OPENSSL_CONF");
  unsetenv("LKR_WINRM_CERT_PEM");
  unsetenv("LKR_WINRM_CERT_KEY_PEM");
  INFO(r.out << r.err);
  REQUIRE(r.rc == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("pywinrm runs commands on a lab node over basic/https") {
  if (!pywinrm_present()) return;
  LabFixture fx(lkr::test::winrm_variant(kSeed, "basic", "https"));
  std::string password = lkr::test::lab_winrm_password(fx);

  auto host = run_pywinrm(fx, "BENHOGAN2008", password, {"hostname"});
  CHECK(host["status"] == 0);
  CHECK(host["stdout"] == "BENHOGAN2008\r\n");

  // Command plus Arguments, as pywinrm sends them: the node's program sees both.
  auto eqv = run_pywinrm(fx, "BENHOGAN2008", password, {"C:\\LK\\Bin\\eqv_list.exe", "-f:"});
  CHECK(eqv["status"] == 0);
  // seed.json: BENHOGAN2008's equivalencies name the replaced node GPLAYER2008.
  CHECK(eqv["stdout"].get<std::string>().find("GPLAYER2008") != std::string::npos);
  nlohmann::json journal = fx.dump("BENHOGAN2008")["journal"];
  REQUIRE_FALSE(journal.empty());
  CHECK(journal.back()["argv"].size() == 2);
  CHECK(journal.back()["argv"][1] == "-f:");

  auto missing = run_pywinrm(fx, "BENHOGAN2008", password, {"nosuchprogram"});
  CHECK(missing["status"] != 0);
  CHECK(missing["stderr"].get<std::string>().find("is not recognized") != std::string::npos);

  auto refused = run_pywinrm(fx, "BENHOGAN2008", password + "x", {"hostname"});
  CHECK(refused["error"] == "InvalidCredentialsError");
}

TEST_CASE("pywinrm runs commands on a lab node with NTLM and message encryption over http") {
  if (!pywinrm_present() || !requests_ntlm_present()) return;
  LabFixture fx(lkr::test::winrm_variant(kSeed, "ntlm", "http"));
  std::string password = lkr::test::lab_winrm_password(fx);

  for (std::string encryption : {"always", "auto"}) {
    INFO("message_encryption=" << encryption);
    PywinrmTarget ntlm{"ntlm", "http", encryption};
    auto host = run_pywinrm(fx, "BENHOGAN2008", password, {"hostname"}, ntlm);
    CHECK(host["status"] == 0);
    CHECK(host["stdout"] == "BENHOGAN2008\r\n");
    auto eqv =
        run_pywinrm(fx, "BENHOGAN2008", password, {"C:\\LK\\Bin\\eqv_list.exe", "-f:"}, ntlm);
    CHECK(eqv["status"] == 0);
    CHECK(eqv["stdout"].get<std::string>().find("GPLAYER2008") != std::string::npos);
    auto missing = run_pywinrm(fx, "BENHOGAN2008", password, {"nosuchprogram"}, ntlm);
    CHECK(missing["status"] != 0);
    CHECK(missing["stderr"].get<std::string>().find("is not recognized") != std::string::npos);
  }
  CHECK(fx.dump("BENHOGAN2008")["journal"].size() == 6u);

  // Unsealed bodies over http are refused, as by Windows with AllowUnencrypted false.
  auto plain = run_pywinrm(fx, "BENHOGAN2008", password, {"hostname"}, {"ntlm", "http", "never"});
  // pywinrm decodes the fault that comes with the HTTP 400.
  CHECK(plain["error"] == "WinRMError");
  CHECK(plain["text"].get<std::string>().find("Code 400") != std::string::npos);
  CHECK(plain["text"].get<std::string>().find("unencrypted") != std::string::npos);

  auto refused =
      run_pywinrm(fx, "BENHOGAN2008", password + "x", {"hostname"}, {"ntlm", "http", "always"});
  CHECK(refused["error"] == "InvalidCredentialsError");
  CHECK(fx.dump("BENHOGAN2008")["journal"].size() == 6u);
}

TEST_CASE("pywinrm's NTLM over https binds the channel as the lab's Strict node expects") {
  // requests-ntlm computes the binding independently of our code: the lab accepting it
  // shows that the lab checks what real clients send, and Strict refusing pywinrm
  // without it shows the check is made.
  if (!pywinrm_present() || !requests_ntlm_present()) return;
  LabFixture fx(lkr::test::winrm_variant(kSeed, "ntlm", "https"));
  std::string password = lkr::test::lab_winrm_password(fx);
  PywinrmTarget bound{"ntlm", "https", "auto"};
  auto host = run_pywinrm(fx, "BENHOGAN2008", password, {"hostname"}, bound);
  CHECK(host["status"] == 0);
  CHECK(host["stdout"] == "BENHOGAN2008\r\n");
  PywinrmTarget unbound{"ntlm", "https", "auto", false};
  auto refused = run_pywinrm(fx, "BENHOGAN2008", password, {"hostname"}, unbound);
  CHECK(refused["error"] == "InvalidCredentialsError");
  CHECK(fx.dump("BENHOGAN2008")["journal"].size() == 1u);
}

TEST_CASE("pywinrm runs commands on a lab node with a client certificate over https") {
  if (!pywinrm_present()) return;
  LabFixture fx(lkr::test::winrm_variant(kSeed, "certificate", "https"));
  // The certificate is the credential: the password given is empty.
  PywinrmTarget cert{"certificate", "https", "auto"};
  auto host = run_pywinrm(fx, "BENHOGAN2008", "", {"hostname"}, cert);
  CHECK(host["status"] == 0);
  CHECK(host["stdout"] == "BENHOGAN2008\r\n");
  CHECK(fx.dump("BENHOGAN2008")["journal"].size() == 1u);
}

TEST_CASE("pywinrm runs commands on a lab node with Kerberos and message encryption over http") {
  if (!pywinrm_present() || !requests_kerberos_present()) return;
  LabFixture fx(lkr::test::winrm_variant(kSeed, "kerberos", "http"));
  std::string password = lkr::test::lab_winrm_password(fx);
  // The lab's realm (KRB5_CONFIG) and a ticket from kinit in a cache of the test's own
  // (KRB5CCNAME), the password on kinit's stdin: pywinrm is given no password at all.
  struct Env {
    std::string dir = lab::testing::make_temp_dir("lkr-pywinrm-krb5");
    explicit Env(const LabFixture& lab) {
      setenv("KRB5_CONFIG", lab.record().krb5_config.c_str(), 1);
      setenv("KRB5CCNAME", ("FILE:" + dir + "/ccache").c_str(), 1);
    }
    ~Env() {
      unsetenv("KRB5_CONFIG");
      unsetenv("KRB5CCNAME");
      lab::testing::remove_tree(dir);
    }
  } env(fx);
  auto kinit = lab::run_process({"/usr/bin/kinit", "root@" + fx.record().kerberos_realm}, 30000,
                                password + "\n");
  INFO(kinit.out << kinit.err);
  REQUIRE(kinit.rc == 0);

  for (std::string encryption : {"always", "auto"}) {
    INFO("message_encryption=" << encryption);
    PywinrmTarget krb{"kerberos", "http", encryption};
    auto host = run_pywinrm(fx, "BENHOGAN2008", "", {"hostname"}, krb);
    CHECK(host["status"] == 0);
    CHECK(host["stdout"] == "BENHOGAN2008\r\n");
    auto eqv = run_pywinrm(fx, "BENHOGAN2008", "", {"C:\\LK\\Bin\\eqv_list.exe", "-f:"}, krb);
    CHECK(eqv["status"] == 0);
    CHECK(eqv["stdout"].get<std::string>().find("GPLAYER2008") != std::string::npos);
    auto missing = run_pywinrm(fx, "BENHOGAN2008", "", {"nosuchprogram"}, krb);
    CHECK(missing["status"] != 0);
    CHECK(missing["stderr"].get<std::string>().find("is not recognized") != std::string::npos);
  }
  CHECK(fx.dump("BENHOGAN2008")["journal"].size() == 6u);
  // The KDC issued pywinrm's service ticket for the node's HTTP/<address> principal.
  const lab::LabNode& n = lab::resolve_node(fx.record(), "BENHOGAN2008");
  std::string kdc_log = lkr::test::read_text(fx.state_dir() + "/krb5/kdc.log");
  CHECK(kdc_log.find("for HTTP/" + n.address + "@" + fx.record().kerberos_realm) !=
        std::string::npos);

  // "Authorization: Kerberos" (as Windows' own clients may send) as well as "Negotiate":
  // pykerberos' bare krb5 token is accepted and the endpoint proves itself (mutual auth).
  std::string url = "http://" + n.address + ":" + std::to_string(n.winrm_http_port) + "/wsman";
  const char* handshake =
      "import kerberos, requests, sys\n"
      "for scheme in ('Kerberos', 'Negotiate'):\n"
      "    _, ctx = kerberos.authGSSClientInit('HTTP@' + sys.argv[2],\n"
      "        gssflags=kerberos.GSS_C_MUTUAL_FLAG | kerberos.GSS_C_SEQUENCE_FLAG)\n"
      "    kerberos.authGSSClientStep(ctx, '')\n"
      "    token = kerberos.authGSSClientResponse(ctx)\n"
      "    r = requests.post(sys.argv[1], data=b'', headers={'Authorization': scheme + ' ' + "
      "token})\n"
      "    answer = r.headers['WWW-Authenticate']\n"
      "    assert r.status_code == 200 and answer.startswith(scheme + ' '), (r.status_code, "
      "answer)\n"
      "    assert kerberos.authGSSClientStep(ctx, answer.split(' ', 1)[1]) == 1\n"
      "    print(scheme, kerberos.authGSSClientUserName(ctx))\n";
  auto mutual = lab::run_process({kPython, "-c", handshake, url, n.address}, 60000);
  INFO(mutual.out << mutual.err);
  CHECK(mutual.rc == 0);
  CHECK(mutual.out == "Kerberos root@" + fx.record().kerberos_realm + "\nNegotiate root@" +
                          fx.record().kerberos_realm + "\n");

  // Unsealed bodies over http are refused once Kerberos authenticated the connection.
  auto plain = run_pywinrm(fx, "BENHOGAN2008", "", {"hostname"}, {"kerberos", "http", "never"});
  CHECK(plain["error"] == "WinRMError");
  CHECK(plain["text"].get<std::string>().find("unencrypted") != std::string::npos);
  CHECK(fx.dump("BENHOGAN2008")["journal"].size() == 6u);
}
