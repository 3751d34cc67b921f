// The attacks "SSH floods cost several times the cap" and "WinRM reply size is unbounded":
// a lab node prints hundreds of megabytes before a command's output (LAB.md's flood
// fault); with a 1 MiB --max-output the result is marked truncated and this process's
// peak memory grows by at most about twice the cap per stream (and a fixed allowance).
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "tests/e2e/transports/winrm_test_support.h"
#include "tests/lab/driver/tests/lab_fixture.h"
#include "tests/unit/transports/peak_rss.h"
#include "transports/cmd_quoting.h"
#include "transports/ssh/ssh_transport.h"
#include "transports/winrm/winrm_transport.h"

LKR_SMALL_ASAN_QUARANTINE()

using lab::testing::LabFixture;
using namespace std::chrono_literals;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kNode = "BENHOGAN2008";
constexpr size_t kCap = 1 << 20;
// What the process may add besides the streams, whatever the flood's size: libssh's and
// libcurl's buffers, the last reply parsed, the sanitizer's quarantine (8 MiB here) and
// bookkeeping. Measured: about 16 MiB over SSH, 4 MiB over WinRM, for floods of 200 MiB
// and 1 GiB alike (bench/flood_memory); before the fix a 400 MB WinRM reply cost 1.9 GB.
constexpr size_t kAllowance = 24u << 20;

void arm_flood(const LabFixture& fx, long long bytes) {
  auto r = fx.lab(
      {"fault", kNode, "--command", "hostname", "--flood", std::to_string(bytes), "--times", "1"});
  INFO(r.out << r.err);
  REQUIRE(r.rc == 0);
}

template <typename Transport>
void check_flood(Transport& t, size_t flood) {
  // One ordinary command first: what a session's first command sets up once is not the
  // flood's cost.
  REQUIRE(t.run(lkr::builtin("chcp", {}), 60s).exit_code == 0);
  size_t before = lkr::test::peak_rss_bytes();
  auto start = std::chrono::steady_clock::now();
  auto r = t.run(lkr::builtin("hostname", {}), 600s);
  size_t growth = lkr::test::peak_rss_bytes() - before;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start);
  INFO(flood / (1 << 20) << " MiB flood: peak RSS grew by " << growth / 1024 << " KiB in "
                         << ms.count() << " ms");
  CHECK(r.truncated);
  CHECK(r.stdout_utf8.size() <= kCap);
  CHECK(growth < 2 * 2 * kCap + kAllowance);
  WARN("peak RSS growth " << growth / 1024 << " KiB for a " << flood / (1 << 20)
                          << " MiB flood, cap " << kCap / 1024 << " KiB");
}

}  // namespace

TEST_CASE("an SSH flood of 200 MiB with a 1 MiB cap: truncated, memory bounded by the cap") {
  LabFixture fx(kSeed);
  const lab::LabNode& n = lab::resolve_node(fx.record(), kNode);
  constexpr long long kFlood = 200ll << 20;
  arm_flood(fx, kFlood);
  lkr::SshOptions o;
  o.host = n.address;
  o.port = n.port;
  o.user = "root";
  o.key_file = fx.record().client_key;
  o.known_hosts_file = fx.record().known_hosts;
  o.connect_timeout = 5s;
  o.max_output_bytes = kCap;
  lkr::SshTransport t(o);
  t.connect();
  check_flood(t, kFlood);
}

TEST_CASE("a WinRM flood of 16 MiB with a 1 MiB cap: truncated, memory bounded by the cap") {
  LabFixture fx(kSeed);
  constexpr long long kFlood = 16ll << 20;  // 512 Receives of the lab's 32 KiB
  arm_flood(fx, kFlood);
  lkr::WinrmOptions o = lkr::test::lab_winrm_options(fx, kNode, "ntlm", "http");
  o.max_output_bytes = kCap;
  lkr::WinrmTransport t(o);
  t.connect();
  check_flood(t, kFlood);
}
