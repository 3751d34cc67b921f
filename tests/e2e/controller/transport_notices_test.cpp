// What a transport has to tell the user about a connection that works reaches the
// console as a WARNING and the audit trail as a note (ansible_winrm_server_cert_validation:
// ignore is honoured, with a warning; a host key recorded on first use).
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <string>

#include "tests/e2e/controller/product_run.h"
#include "tests/e2e/transports/winrm_test_support.h"

using lab::testing::LabFixture;
namespace e2e = lkr::e2e;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";

// The notes of events.jsonl that mention `needle`.
int notes_mentioning(const std::string& run_dir, const std::string& needle) {
  int n = 0;
  for (const auto& e : e2e::read_events(run_dir))
    if (e.dump().find(needle) != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST_CASE("TLS verification switched off: a warning per host, recorded in the trail",
          "[e2e][winrm]") {
  LabFixture lab(lkr::test::winrm_variant(kSeed, "basic", "https"));
  // The inventory as an admin would edit it: validation off for every WinRM host.
  std::string inventory = e2e::read_text(lab.record().inventory);
  std::string edited =
      std::regex_replace(inventory, std::regex("ansible_winrm_server_cert_validation: validate"),
                         "ansible_winrm_server_cert_validation: ignore");
  REQUIRE(edited != inventory);
  std::ofstream(lab.record().inventory, std::ios::trunc) << edited;
  std::string password = lkr::test::lab_winrm_password(lab);
  setenv("LKR_E2E_NOTICE_PASSWORD", password.c_str(), 1);

  e2e::TempDir logs;
  auto run = e2e::run_all(lab, logs.path, {"--password-env", "LKR_E2E_NOTICE_PASSWORD"});
  unsetenv("LKR_E2E_NOTICE_PASSWORD");
  std::string console = run.process.out + run.process.err;
  INFO(console);
  REQUIRE(run.process.rc == 0);
  for (const auto& n : lab.record().nodes) {
    // One warning naming the host's endpoint, not the password.
    std::string endpoint = n.address + ":" + std::to_string(n.winrm_https_port);
    CHECK(console.find("WARNING: ") != std::string::npos);
    CHECK(console.find(endpoint) != std::string::npos);
    CHECK(notes_mentioning(e2e::newest_run_dir(logs.path), endpoint + "/wsman is not verified") ==
          1);
  }
  CHECK(console.find(password) == std::string::npos);
}

TEST_CASE("a host key recorded on first use is a warning, recorded in the trail", "[e2e]") {
  LabFixture lab(kSeed);
  e2e::TempDir work;
  std::string known_hosts = work.path + "/known_hosts";
  std::ofstream(known_hosts).flush();  // empty: every key is new
  e2e::TempDir logs;
  auto run = e2e::run_all(lab, logs.path, {"--known-hosts", known_hosts, "--accept-new-host-keys"});
  std::string console = run.process.out + run.process.err;
  INFO(console);
  REQUIRE(run.process.rc == 0);
  std::string run_dir = e2e::newest_run_dir(logs.path);
  for (const auto& n : lab.record().nodes) {
    CHECK(notes_mentioning(run_dir, "host key of " + n.address) == 1);
    CHECK(console.find("host key of " + n.address) != std::string::npos);
  }
  CHECK(e2e::read_text(known_hosts).find(lab.record().nodes.front().address) != std::string::npos);
}
