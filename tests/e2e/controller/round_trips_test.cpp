// Round trips against the lab's real servers (sshd, lab-winrm), counted as the transports
// document it (ssh_transport.h, winrm_transport.h, docs/audit-files.md#round-trips):
//  - SSH: a command waits for its exec alone once its channel was opened ahead, the
//    first after connecting at most for its channel too; a server that allows one session
//    gets an open and an exec per command, and every command still runs;
//  - WinRM: Command, Receive and Signal per command in one shell on one connection;
//  - the product: every command event of a run (SSH and WinRM hosts in one cluster) names
//    its line and that line's round trips, within those bounds, and run.json's per-host
//    totals are the events' sums over distinct lines.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "tests/e2e/controller/product_run.h"
#include "tests/e2e/transports/winrm_test_support.h"
#include "tests/lab/winrm/shell_service.h"
#include "transports/ssh/ssh_transport.h"
#include "transports/winrm/winrm_transport.h"

using lab::testing::LabFixture;
using nlohmann::json;
namespace e2e = lkr::e2e;
using namespace std::chrono_literals;

namespace {

const std::string kScenarios = LAB_SCENARIO_DIR;
const std::string kSeed = kScenarios + "/seed.json";
const std::string kNode = "BENHOGAN2008";  // seed.json's surviving node

// The rule's costs (ssh_transport.cpp, ssh_auth.cpp): TCP, version and key exchange; the
// "ssh-userauth" service request; one key file.
constexpr long long kSshConnectWithKey = 3 + 1 + 1;
// NTLM over http: the TCP connection, the two NTLM legs, Create shell.
constexpr long long kWinrmNtlmConnect = 1 + 2 + 1;
// Command, one Receive, Signal terminate (MS-WSMV 3.1.4.14).
constexpr long long kWinrmShortCommand = 3;

lkr::SshOptions ssh_options(const LabFixture& fx, const std::string& node) {
  const lab::LabNode& n = lab::resolve_node(fx.record(), node);
  lkr::SshOptions o;
  o.host = n.address;
  o.port = n.port;
  o.user = "root";  // the lab's sshd admits the user running the tests
  o.key_file = fx.record().client_key;
  o.known_hosts_file = fx.record().known_hosts;
  o.connect_timeout = 5s;
  return o;
}

const lkr::Command kHostname = lkr::builtin("hostname", {});

// The round trips each of `n` hostname commands cost, checking each ran.
std::vector<long long> hostname_costs(lkr::Transport& t, int n) {
  std::vector<long long> costs;
  for (int i = 0; i < n; ++i) {
    long long before = t.round_trips();
    CHECK(t.run(kHostname, 20s).stdout_utf8 == kNode + "\r\n");
    costs.push_back(t.round_trips() - before);
  }
  return costs;
}

// The node's sshd with `MaxSessions 1`: sshd reads its configuration again on SIGHUP
// (it executes itself anew, same pid); then waits until it listens again.
void allow_one_session(const LabFixture& fx, const std::string& node) {
  const lab::LabNode& n = lab::resolve_node(fx.record(), node);
  std::string path = n.node_dir + "/sshd_config";
  std::string config = e2e::read_text(path);
  std::string one = std::regex_replace(config, std::regex("MaxSessions [0-9]+"), "MaxSessions 1");
  REQUIRE(one != config);
  std::ofstream(path, std::ios::trunc) << one;
  REQUIRE(::kill(n.pid, SIGHUP) == 0);
  auto deadline = std::chrono::steady_clock::now() + 20s;
  lkr::SshTransport probe(ssh_options(fx, node));
  for (;;) {
    try {
      probe.connect();
      if (probe.run(kHostname, 10s).exit_code == 0) return;
    } catch (const lkr::TransportError&) {
      // sshd re-executing: not listening yet
    }
    REQUIRE(std::chrono::steady_clock::now() < deadline);
  }
}

bool has_line(const json& e) {
  return e.contains("invocation") && e["invocation"].is_object() &&
         e["invocation"].contains("id") && e["invocation"].contains("round_trips");
}

// One line as its command events describe it.
struct Line {
  std::string host;
  long long round_trips = 0;
  int size = 0;
  std::set<int> indexes;
  size_t output_bytes = 0;  // stdout and stderr of its commands, as recorded
};

}  // namespace

TEST_CASE("SSH: once connected, a command waits for its exec alone", "[e2e][round-trips]") {
  LabFixture fx(kSeed);
  lkr::SshTransport t(ssh_options(fx, kNode));
  t.connect();
  CHECK(t.round_trips() == kSshConnectWithKey);
  auto costs = hostname_costs(t, 6);
  // The first command's channel was opened at the end of connect(): ready, or waited for.
  CHECK(costs.front() >= 1);
  CHECK(costs.front() <= 2);
  // Every later one was opened during the command before it, and confirmed before that
  // command's exec was answered.
  for (size_t i = 1; i < costs.size(); ++i) CHECK(costs[i] == 1);
  // A reconnection starts over: the handshake again, then the same per command.
  long long before = t.round_trips();
  t.connect();
  CHECK(t.round_trips() - before == kSshConnectWithKey);
  auto again = hostname_costs(t, 2);
  CHECK(again.back() == 1);
}

TEST_CASE("SSH: a server allowing one session: each command opens its own channel",
          "[e2e][round-trips]") {
  LabFixture fx(kSeed);
  allow_one_session(fx, kNode);
  lkr::SshTransport t(ssh_options(fx, kNode));
  t.connect();
  auto costs = hostname_costs(t, 5);
  // The channel opened at connect() was the only session: accepted. The one opened ahead
  // during the first command was refused (one was open), so from the second on each
  // command opens its own channel, no spare asked for again: an open and the exec, and
  // the open asked for twice when sshd had not yet released the previous session.
  CHECK(costs.front() <= 2);
  for (size_t i = 1; i < costs.size(); ++i) {
    CHECK(costs[i] >= 2);
    CHECK(costs[i] <= 3);
  }
}

TEST_CASE("WinRM: the login and Create shell once, then Command, Receive and Signal",
          "[e2e][round-trips]") {
  LabFixture fx(lkr::test::winrm_variant(kSeed, "ntlm", "http"));
  lkr::WinrmTransport t(lkr::test::lab_winrm_options(fx, kNode, "ntlm", "http"));
  t.connect();
  CHECK(t.round_trips() == kWinrmNtlmConnect);
  for (long long cost : hostname_costs(t, 4)) CHECK(cost == kWinrmShortCommand);
  CHECK(t.connections_opened() == 1);
}

TEST_CASE("a run records each command's line and round trips; run.json sums them per host",
          "[e2e][round-trips]") {
  // One survivor over WinRM (NTLM, http), the others over SSH: both counts in one run.
  e2e::Lab lab(lkr::test::winrm_variant(kScenarios + "/three-node.json", "ntlm", "http", "BRAVO"));
  REQUIRE(lab.on_winrm("BRAVO"));
  REQUIRE_FALSE(lab.on_winrm("ALPHA"));
  e2e::TempDir logs;
  auto run = e2e::run_all(lab, logs.path);
  INFO(run.process.out << run.process.err);
  REQUIRE(run.process.rc == 0);
  std::string run_dir = e2e::newest_run_dir(logs.path);
  auto schema = e2e::validate_json("run.schema.json", run_dir + "/run.json");
  INFO(schema.out << schema.err);
  CHECK(schema.rc == 0);

  std::map<std::string, Line> lines;  // by invocation id
  int commands = 0;
  for (const json& e : e2e::read_events(run_dir)) {
    if (e["type"] != "command") continue;
    ++commands;
    INFO(e.dump());
    REQUIRE(has_line(e));
    const json& inv = e["invocation"];
    std::string id = inv["id"];
    std::string host = e["host"];
    CHECK(id.rfind(host + "#", 0) == 0);
    Line& line = lines[id];
    if (line.host.empty()) {
      line.host = host;
      line.round_trips = inv["round_trips"];
      line.size = inv["size"];
    }
    // Every event of one line says the same of it.
    CHECK(line.host == host);
    CHECK(inv["round_trips"] == line.round_trips);
    CHECK(inv["size"] == line.size);
    CHECK(line.indexes.insert(inv["index"].get<int>()).second);
    line.output_bytes +=
        e["stdout"].get<std::string>().size() + e["stderr"].get<std::string>().size();
  }
  REQUIRE(commands > 0);

  std::map<std::string, long long> invocations, round_trips, ssh_waited_for_channel;
  for (const auto& [id, line] : lines) {
    INFO(id << ": " << line.round_trips << " round trips, " << line.size << " commands");
    CHECK(static_cast<int>(line.indexes.size()) == line.size);
    CHECK(*line.indexes.rbegin() == line.size - 1);
    ++invocations[line.host];
    round_trips[line.host] += line.round_trips;
    if (lab.on_winrm(line.host)) {
      // Command, the Receives, Signal. A Receive is held until the command ends (well
      // within OperationTimeout here) and carries up to the lab's kMaxReceiveBytes; the
      // recorded output lacks what a batch's markers add, at most a few hundred bytes a
      // command.
      long long receives_at_most =
          1 + static_cast<long long>((line.output_bytes + 1024 * line.size) /
                                     lab::winrm::ShellService::kMaxReceiveBytes);
      CHECK(line.round_trips >= kWinrmShortCommand);
      CHECK(line.round_trips <= 2 + receives_at_most);
    } else {
      // The exec, and the channel's open when it was not ready ahead.
      CHECK(line.round_trips >= 1);
      CHECK(line.round_trips <= 2);
      if (line.round_trips == 2) ++ssh_waited_for_channel[line.host];
    }
  }
  // Only a host's first line after connecting may have waited for its channel.
  for (const auto& [host, waited] : ssh_waited_for_channel) {
    INFO(host);
    CHECK(waited <= 1);
  }

  json run_json = json::parse(e2e::read_text(run_dir + "/run.json"));
  for (const json* summary : {&run_json, &run.summary}) {
    std::set<std::string> hosts_seen;
    for (const json& cluster : (*summary)["clusters"])
      for (const auto& [host, tally] : cluster["hosts"].items()) {
        INFO(host);
        hosts_seen.insert(host);
        CHECK(tally["invocations"] == invocations[host]);
        CHECK(tally["round_trips"] == round_trips[host]);
        CHECK(tally["connect_round_trips"].get<long long>() > 0);
        if (!lab.on_winrm(host))
          CHECK(tally["connect_round_trips"] == kSshConnectWithKey);
        else
          CHECK(tally["connect_round_trips"] == kWinrmNtlmConnect);
      }
    for (const auto& [host, n] : invocations) CHECK(hosts_seen.count(host) == 1);
    long long all = 0;
    for (const auto& [host, n] : round_trips) all += n;
    CHECK((*summary)["totals"]["round_trips"] == all);
  }
}
