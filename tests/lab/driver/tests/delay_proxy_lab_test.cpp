// A lab with a network round trip: `lab up` puts lab-delay-proxy where the inventory
// sends clients, an ssh session to a node works through it and pays the round trips,
// WinRM is reached through it too, and `lab down` stops it. Subnet 127.104 (the
// scenario's "rtt_ms") and 127.105 (`lab up --rtt-ms`).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/lab/driver/lab_record.h"
#include "tests/lab/driver/process_tree.h"
#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;
using lab::testing::lf;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";

// seed.json with a top-level "rtt_ms", in `dir`.
std::string seed_with_rtt(const std::string& dir, int rtt_ms) {
  std::ifstream in(kSeed);
  nlohmann::json scenario = nlohmann::json::parse(in);
  scenario["rtt_ms"] = rtt_ms;
  std::string path = dir + "/seed-rtt.json";
  std::ofstream(path) << scenario.dump(2);
  return path;
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// One HTTP request on a fresh connection; the status line of the answer.
std::string http_status_line(const std::string& address, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.c_str(), &sa.sin_addr);
  std::string answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0) {
    std::string request = "POST /wsman HTTP/1.1\r\nHost: " + address +
                          "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char buf[4096];
    for (ssize_t n;
         answer.find("\r\n") == std::string::npos && (n = recv(fd, buf, sizeof buf, 0)) > 0;)
      answer.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return answer.substr(0, answer.find("\r\n"));
}

}  // namespace

TEST_CASE("with the scenario's rtt_ms, ssh and WinRM reach every node through the proxy") {
  constexpr int kRtt = 200;
  std::string dir = lab::testing::make_temp_dir("delay-proxy-scenario");
  {
    LabFixture fx(seed_with_rtt(dir, kRtt));
    const lab::LabRecord& r = fx.record();
    CHECK(r.rtt_ms == kRtt);
    REQUIRE(r.delay_proxy_pid > 0);
    CHECK(lab::process_alive(r.delay_proxy_pid));
    CHECK(lab::process_cmdline(r.delay_proxy_pid).find("lab-delay-proxy") != std::string::npos);
    YAML::Node groups = YAML::LoadFile(fx.inventory_path())["all"]["children"];
    for (const auto& n : r.nodes) {
      INFO(n.system);
      // The proxy takes the advertised ports; the node's own listeners moved.
      CHECK(n.backend_port != n.port);
      CHECK(n.backend_winrm_http_port != n.winrm_http_port);
      CHECK(n.backend_winrm_https_port != n.winrm_https_port);
      CHECK(groups[n.cluster]["hosts"][n.system]["ansible_port"].as<int>() == n.port);

      auto start = Clock::now();
      auto answer = fx.ssh(n.system, "hostname");
      double ms = ms_since(start);
      CHECK(answer.rc == 0);
      CHECK(lf(answer.out) == n.system + "\n");
      // Key exchange, auth (query, then signature), channel open and exec each wait on
      // the other side: at least four round trips, whatever OpenSSH pipelines.
      INFO("ssh hostname took " << ms << " ms");
      CHECK(ms >= 4 * kRtt);

      start = Clock::now();
      std::string status = http_status_line(n.address, n.winrm_http_port);
      CHECK(status.starts_with("HTTP/1.1 "));
      CHECK(ms_since(start) >= kRtt);
    }
    // The node's own endpoint answers at once on its own port: the delay is the proxy's.
    auto start = Clock::now();
    std::string direct = http_status_line(r.nodes[0].address, r.nodes[0].backend_winrm_http_port);
    CHECK(direct.starts_with("HTTP/1.1 "));
    CHECK(ms_since(start) < kRtt);

    int proxy = r.delay_proxy_pid;
    CHECK(fx.down().rc == 0);
    CHECK_FALSE(lab::process_alive(proxy));
  }
  lab::testing::remove_tree(dir);
}

TEST_CASE("lab up --rtt-ms starts the proxy; --rtt-ms 0 overrides a scenario's rtt_ms") {
  std::string dir = lab::testing::make_temp_dir("delay-proxy-cli");
  std::string state = dir + "/state";
  auto lab_cmd = [&](std::vector<std::string> args) {
    args.insert(args.begin(), LAB_BINARY);
    return lab::run_process(args, 120000);
  };

  auto up = lab_cmd({"up", kSeed, "--state", state, "--subnet", LAB_CLI_SUBNET, "--rtt-ms", "40"});
  REQUIRE(up.rc == 0);
  CHECK(up.out.find("round trip:  40 ms") != std::string::npos);
  lab::LabRecord r = lab::load_lab_record(state);
  CHECK(r.rtt_ms == 40);
  CHECK(r.delay_proxy_routes == r.state_dir + "/delay_proxy.routes");
  int proxy = r.delay_proxy_pid;
  CHECK(lab::process_alive(proxy));
  CHECK(lab_cmd({"down", "--state", state}).rc == 0);
  CHECK_FALSE(lab::process_alive(proxy));

  up = lab_cmd({"up", seed_with_rtt(dir, 300), "--state", state, "--subnet", LAB_CLI_SUBNET,
                "--rtt-ms", "0"});
  REQUIRE(up.rc == 0);
  r = lab::load_lab_record(state);
  CHECK(r.rtt_ms == 0);
  CHECK(r.delay_proxy_pid == 0);
  for (const auto& n : r.nodes) CHECK(n.backend_port == n.port);
  CHECK(lab_cmd({"down", "--state", state}).rc == 0);

  auto refused = lab_cmd({"up", kSeed, "--state", state, "--rtt-ms", "-5"});
  CHECK(refused.rc != 0);
  CHECK(refused.err.find("--rtt-ms") != std::string::npos);
  lab::testing::remove_tree(dir);
}
