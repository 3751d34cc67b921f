// An independent client proves the lab speaks WinRM: Debian's python3-winrm (pywinrm)
// runs commands on a lab node with Basic auth over HTTPS, its certificate verified
// against the lab's CA. In CI (CI=true) a missing python3-winrm fails the test.
#include <catch2/catch.hpp>
#include <cstdlib>
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

nlohmann::json run_pywinrm(const LabFixture& fx, const std::string& node,
                           const std::string& password, const std::vector<std::string>& command) {
  const lab::LabNode& n = lab::resolve_node(fx.record(), node);
  std::string url = "https://" + n.address + ":" + std::to_string(n.winrm_https_port) + "/wsman";
  std::vector<std::string> argv{kPython, kScript, url, "root", "basic", fx.record().winrm_ca};
  argv.insert(argv.end(), command.begin(), command.end());
  setenv("LKR_WINRM_PASSWORD", password.c_str(), 1);
  auto r = lab::run_process(argv, 60000);
  unsetenv("LKR_WINRM_PASSWORD");
  INFO(r.out << r.err);
  REQUIRE(r.rc == 0);
  return nlohmann::json::parse(r.out);
}

std::string lab_password(const LabFixture& fx) {
  std::string p = lkr::test::read_text(fx.record().winrm_password_file);
  return p.substr(0, p.find('\n'));
}

}  // namespace

TEST_CASE("pywinrm runs commands on a lab node over basic/https") {
  if (!pywinrm_present()) return;
  LabFixture fx(lkr::test::winrm_variant(kSeed, "basic", "https"));
  std::string password = lab_password(fx);

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
