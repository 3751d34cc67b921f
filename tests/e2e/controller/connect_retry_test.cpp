// A connect that failed before anything was sent is tried again, end to end: the
// survivor is reached through a loopback TCP relay in front of its real sshd that resets
// the first connection(s) as soon as they are accepted (what a node does while its SSH
// server restarts, or a storm of handshakes overflows it). The run finishes, the trail
// holds one note per retry, -v shows each; a relay that never lets a connection through
// costs the bounded number of attempts and nothing is changed; a refused login is not
// retried. SSH only: the subject is the SSH connect (the WinRM connect's failures go
// through the same NodeSession::connect(), pinned by controller_connect_test).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/controller/product_run.h"

using lab::testing::LabFixture;
namespace e2e = lkr::e2e;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kSurvivor = "BENHOGAN2008";

sockaddr_in address_of(const std::string& ip, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, ip.c_str(), &a.sin_addr) != 1) throw std::runtime_error("bad " + ip);
  return a;
}

// Copies bytes both ways until either side closes.
void pump(int a, int b) {
  char buffer[16384];
  pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, -1) < 0) return;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) return;
      if (::send(fds[1 - i].fd, buffer, static_cast<size_t>(n), MSG_NOSIGNAL) != n) return;
    }
  }
}

// Listens on LISTEN_IP:PORT; resets the first `resets` connections (RST right after the
// accept, before the server's banner), relays every later one to TARGET_IP:22.
class ResettingRelay {
 public:
  ResettingRelay(const std::string& listen_ip, int port, std::string target_ip, int resets)
      : target_(std::move(target_ip)), resets_(resets) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in a = address_of(listen_ip, port);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listener_, 16) != 0)
      throw std::runtime_error("relay: cannot listen on " + listen_ip + ":" + std::to_string(port));
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~ResettingRelay() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);  // wakes accept()
    acceptor_.join();
    ::close(listener_);
    std::lock_guard lock(mu_);
    for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
    for (auto& t : relays_) t.join();
    for (int fd : open_) ::close(fd);
  }
  int accepted() const { return accepted_; }

 private:
  void accept_loop() {
    for (;;) {
      int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0 || stopping_) {
        if (client >= 0) ::close(client);
        return;
      }
      if (++accepted_ <= resets_) {
        linger reset{1, 0};  // close() then sends RST, not FIN
        ::setsockopt(client, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
        ::close(client);
        continue;
      }
      int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in a = address_of(target_, 22);
      if (::connect(server, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(server);
        ::close(client);
        continue;
      }
      std::lock_guard lock(mu_);
      open_.push_back(client);
      open_.push_back(server);
      relays_.emplace_back([client, server] {
        pump(client, server);
        ::shutdown(client, SHUT_RDWR);
        ::shutdown(server, SHUT_RDWR);
      });
    }
  }

  std::string target_;
  int resets_;
  int listener_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> relays_;
  std::vector<int> open_;
};

// The relay's address: one of the lab's subnet no node uses.
std::string relay_ip(const LabFixture& lab) {
  const std::string& a = lab::resolve_node(lab.record(), kSurvivor).address;
  return a.substr(0, a.rfind('.')) + ".99";
}
constexpr int kRelayPort = 2222;

// Points the survivor's inventory entry at the relay and makes the node's host key known
// under the relay's name, as an admin's known_hosts would hold it.
void route_survivor_through(const LabFixture& lab, const std::string& ip) {
  const std::string& node_ip = lab::resolve_node(lab.record(), kSurvivor).address;
  std::string inventory = e2e::read_text(lab.record().inventory);
  std::string edited = std::regex_replace(
      inventory,
      std::regex("ansible_host: " + std::regex_replace(node_ip, std::regex("\\."), "\\.") +
                 "\\n(\\s*)ansible_port: 22\\n"),
      "ansible_host: " + ip + "\n$1ansible_port: " + std::to_string(kRelayPort) + "\n");
  REQUIRE(edited != inventory);
  std::ofstream(lab.record().inventory, std::ios::trunc) << edited;

  std::ifstream in(lab.record().known_hosts);
  std::string line, key;
  while (std::getline(in, line))
    if (line.rfind(node_ip + " ", 0) == 0) key = line.substr(node_ip.size());
  REQUIRE(!key.empty());
  std::ofstream(lab.record().known_hosts, std::ios::app)
      << "[" << ip << "]:" << kRelayPort << key << "\n";
}

// The session's connect notes of `host` in the run's trail (not the cluster's own
// "cluster stopped: ..." note, which names the step too).
std::vector<std::string> connect_notes(const std::string& run_dir, const std::string& host) {
  std::vector<std::string> out;
  for (const auto& e : e2e::read_events(run_dir)) {
    std::string message = e.value("message", "");
    if (e.value("type", "") == "note" && e.value("step", "") == "connect" &&
        e.value("host", "") == host && message.rfind("cluster stopped: ", 0) != 0)
      out.push_back(message);
  }
  return out;
}

int count_starting(const std::vector<std::string>& notes, const std::string& prefix) {
  int n = 0;
  for (const auto& m : notes) n += m.rfind(prefix, 0) == 0 ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("connections reset before the SSH banner are retried, and the run finishes", "[e2e]") {
  LabFixture lab(kSeed);
  std::string ip = relay_ip(lab);
  route_survivor_through(lab, ip);
  ResettingRelay relay(ip, kRelayPort, lab::resolve_node(lab.record(), kSurvivor).address, 2);

  e2e::TempDir logs;
  auto run = e2e::run_all(lab, logs.path, {"-v"});
  std::string console = run.process.out + run.process.err;
  INFO(console);
  REQUIRE(run.process.rc == 0);
  CHECK(e2e::cluster_summary(run.summary, "sql-prod").value("status", "") == "changed");
  // Two connections reset, the third relayed to sshd: the retries went over the network.
  CHECK(relay.accepted() == 3);

  auto notes = connect_notes(e2e::newest_run_dir(logs.path), kSurvivor);
  INFO(nlohmann::json(notes).dump(1));
  CHECK(count_starting(notes, "connect attempt 1 of 3 failed before anything was sent") == 1);
  CHECK(count_starting(notes, "connect attempt 2 of 3 failed before anything was sent") == 1);
  CHECK(count_starting(notes, "connect attempt") == 2);
  // The delays double: 2 s, then 4 s.
  CHECK(notes.size() >= 2);
  if (notes.size() >= 2) {
    CHECK(notes[0].find("retrying in 2 s") != std::string::npos);
    CHECK(notes[1].find("retrying in 4 s") != std::string::npos);
  }
  CHECK(std::regex_search(console, std::regex(kSurvivor + " \\| connect \\| retry \\| connect "
                                                          "attempt 1 of 3 failed")));
}

TEST_CASE("a node that resets every connection costs the bounded attempts, and nothing changes",
          "[e2e]") {
  LabFixture lab(kSeed);
  std::string ip = relay_ip(lab);
  route_survivor_through(lab, ip);
  ResettingRelay relay(ip, kRelayPort, lab::resolve_node(lab.record(), kSurvivor).address, 1000);
  nlohmann::json before = e2e::end_state(lab);

  e2e::TempDir logs;
  auto run = e2e::run_all(lab, logs.path);
  std::string console = run.process.out + run.process.err;
  INFO(console);
  CHECK(run.process.rc == 4);
  CHECK(e2e::cluster_summary(run.summary, "sql-prod").value("status", "") == "unreachable");
  CHECK(relay.accepted() == 3);
  auto notes = connect_notes(e2e::newest_run_dir(logs.path), kSurvivor);
  INFO(nlohmann::json(notes).dump(1));
  CHECK(count_starting(notes, "connect attempt") == 2);
  CHECK(std::any_of(notes.begin(), notes.end(), [](const std::string& m) {
    return m.find("(gave up after 3 attempts)") != std::string::npos;
  }));
  CHECK(e2e::changes_since(lab, before, "sql-prod").empty());
}

TEST_CASE("a refused login is not retried", "[e2e]") {
  LabFixture lab(kSeed);
  std::string inventory = e2e::read_text(lab.record().inventory);
  // The survivor's entry comes first; only its user is changed.
  std::string edited =
      std::regex_replace(inventory, std::regex("ansible_user: root"),
                         "ansible_user: lkr-no-such-user", std::regex_constants::format_first_only);
  REQUIRE(edited != inventory);
  std::ofstream(lab.record().inventory, std::ios::trunc) << edited;

  e2e::TempDir logs;
  auto run = e2e::run_all(lab, logs.path);
  std::string console = run.process.out + run.process.err;
  INFO(console);
  CHECK(run.process.rc == 4);
  auto notes = connect_notes(e2e::newest_run_dir(logs.path), kSurvivor);
  INFO(nlohmann::json(notes).dump(1));
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("authentication to lkr-no-such-user@") != std::string::npos);
  CHECK(count_starting(notes, "connect attempt") == 0);
}
