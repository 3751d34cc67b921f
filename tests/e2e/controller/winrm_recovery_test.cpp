// The runbook's recovery over WinRM (Basic over HTTPS, the lab's CA verified; NTLM with
// message encryption over HTTP; a client certificate over HTTPS; Kerberos with message
// encryption over HTTP, against the lab's KDC): the
// product run against WinRM nodes leaves exactly the end state a run over SSH leaves,
// and a re-run changes nothing: every runbook step runs over it exactly as over SSH.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "tests/e2e/controller/product_run.h"
#include "tests/e2e/transports/winrm_test_support.h"
#include "tests/lab/driver/process_tree.h"

using lab::testing::LabFixture;
using nlohmann::json;
namespace e2e = lkr::e2e;

namespace {

const std::string kScenarios = LAB_SCENARIO_DIR;

// The product's --password-env variable, set for the child only while it runs.
struct PasswordEnv {
  explicit PasswordEnv(const LabFixture& lab) {
    setenv("LKR_E2E_WINRM_PASSWORD", lkr::test::lab_winrm_password(lab).c_str(), 1);
  }
  ~PasswordEnv() { unsetenv("LKR_E2E_WINRM_PASSWORD"); }
};

// Kerberos nodes: the product finds the lab's realm through KRB5_CONFIG, as an operator
// points MIT krb5 at a site's krb5.conf, and gets its ticket from the password
// (--password-env) in memory; KRB5CCNAME names an empty cache of the test's own, so no
// ticket of whoever runs the tests is used.
struct KerberosEnv {
  explicit KerberosEnv(const LabFixture& lab) : set(!lab.record().krb5_config.empty()) {
    if (!set) return;
    setenv("KRB5_CONFIG", lab.record().krb5_config.c_str(), 1);
    setenv("KRB5CCNAME", ("FILE:" + cache.path + "/ccache").c_str(), 1);
  }
  ~KerberosEnv() {
    if (!set) return;
    unsetenv("KRB5_CONFIG");
    unsetenv("KRB5CCNAME");
  }
  bool set;
  e2e::TempDir cache;
};

json run_and_read_end_state(const std::string& scenario, bool winrm, std::string& run_output) {
  LabFixture lab(scenario);
  KerberosEnv kerberos(lab);
  e2e::TempDir logs;
  std::vector<std::string> extra;
  std::unique_ptr<PasswordEnv> env;
  if (winrm) {
    // Only WinRM can reach the WinRM nodes: their sshd is stopped before the run.
    for (const auto& n : lab.record().nodes)
      if (n.transport == "winrm") lab::stop_processes({n.pid}, std::chrono::milliseconds(2000));
    env = std::make_unique<PasswordEnv>(lab);
    extra = {"--password-env", "LKR_E2E_WINRM_PASSWORD"};
  }
  auto first = e2e::run_all(lab, logs.path, extra);
  run_output = first.process.out + first.process.err;
  INFO(run_output);
  REQUIRE(first.process.rc == 0);
  CHECK(first.summary["clusters"][0]["status"] == "changed");
  auto again = e2e::run_all(lab, logs.path, extra);
  INFO(again.process.out << again.process.err);
  if (winrm) {  // the password reaches neither the console nor any file of the audit trail
    const char* password = std::getenv("LKR_E2E_WINRM_PASSWORD");
    REQUIRE(password != nullptr);
    CHECK(run_output.find(password) == std::string::npos);
    for (const auto& f : std::filesystem::recursive_directory_iterator(logs.path))
      if (f.is_regular_file())
        CHECK(lkr::test::read_text(f.path().string()).find(password) == std::string::npos);
  }
  CHECK(again.process.rc == 0);
  CHECK(again.summary["clusters"][0]["status"] == "nothing_to_do");
  return e2e::end_state(lab);
}

}  // namespace

// The end state of the seed cluster recovered over SSH, the reference for every variant.
const json& seed_over_ssh() {
  static const json state = [] {
    std::string output;
    return run_and_read_end_state(kScenarios + "/seed.json", false, output);
  }();
  return state;
}

TEST_CASE("seed cluster over WinRM: the same end state as over SSH", "[e2e][winrm]") {
  // Basic over HTTPS, NTLM with message encryption over HTTP (as Windows ships WinRM;
  // the lab's inventory leaves ansible_winrm_message_encryption at auto), and a client
  // certificate over HTTPS (the inventory's ansible_winrm_cert_pem / _cert_key_pem), and
  // Kerberos with message encryption over HTTP (a ticket from the lab's KDC).
  auto mode = GENERATE(std::pair<std::string, std::string>{"basic", "https"},
                       std::pair<std::string, std::string>{"ntlm", "http"},
                       std::pair<std::string, std::string>{"certificate", "https"},
                       std::pair<std::string, std::string>{"kerberos", "http"});
  INFO(mode.first << " over " << mode.second);
  const std::string seed = kScenarios + "/seed.json";
  std::string winrm_output;
  json over_winrm = run_and_read_end_state(lkr::test::winrm_variant(seed, mode.first, mode.second),
                                           true, winrm_output);
  CHECK(over_winrm == seed_over_ssh());
  // The runbook's result itself (not only "equal"): BENHOGAN2008 keeps only itself.
  CHECK(over_winrm["sql-prod/BENHOGAN2008"]["on_disk"]["systems"] == json::array({"BENHOGAN2008"}));
}

TEST_CASE("a mixed cluster (survivor over WinRM, reinstalled node over SSH)", "[e2e][winrm]") {
  const std::string seed = kScenarios + "/seed.json";
  std::string mixed_output;
  json mixed = run_and_read_end_state(
      lkr::test::winrm_variant(seed, "ntlm", "http", "BENHOGAN2008"), true, mixed_output);
  CHECK(mixed == seed_over_ssh());
}
