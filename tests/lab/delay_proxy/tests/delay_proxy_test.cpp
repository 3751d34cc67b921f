// lab-delay-proxy as a process, in front of an echo server of the test's own on 127.103:
// a round trip through it costs at least the RTT it was given, bytes arrive unchanged and
// in order (a large transfer too, and many connections at once), an EOF is passed on,
// and a route to nothing fails only that connection.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kSubnet = LAB_TEST_SUBNET;
const std::string kEchoAddress = kSubnet + ".0.1";
const std::string kProxyAddress = kSubnet + ".0.2";

sockaddr_in address_of(const std::string& address, int port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.c_str(), &sa.sin_addr);
  return sa;
}

// A listening socket on `address`, port chosen by the kernel.
int listen_on(const std::string& address, int& port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa = address_of(address, 0);
  socklen_t len = sizeof sa;
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || listen(fd, 128) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0)
    throw std::runtime_error(std::string("listen on ") + address + ": " + strerror(errno));
  port = ntohs(sa.sin_port);
  return fd;
}

int free_port(const std::string& address) {
  int port = 0;
  close(listen_on(address, port));
  return port;
}

int connect_to(const std::string& address, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa = address_of(address, port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
    throw std::runtime_error("connect " + address + ": " + strerror(errno));
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void write_all(int fd, const std::string& data) {
  for (size_t done = 0; done < data.size();) {
    ssize_t n = send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error(std::string("send: ") + strerror(errno));
    done += static_cast<size_t>(n);
  }
}

// Everything until EOF (or until `limit` bytes); throws on a reset.
std::string read_until_eof(int fd, size_t limit = SIZE_MAX) {
  std::string out;
  char buf[65536];
  while (out.size() < limit) {
    ssize_t n = recv(fd, buf, std::min(sizeof buf, limit - out.size()), 0);
    if (n < 0) throw std::runtime_error(std::string("recv: ") + strerror(errno));
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Echoes every connection until its EOF, then closes it; one thread a connection.
class EchoServer {
 public:
  EchoServer() : fd_(listen_on(kEchoAddress, port_)) {
    acceptor_ = std::thread([this] {
      for (;;) {
        int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) return;  // shutdown() of the listener ends the loop
        workers_.emplace_back([c] {
          char buf[65536];
          for (ssize_t n; (n = recv(c, buf, sizeof buf, 0)) > 0;)
            if (send(c, buf, static_cast<size_t>(n), MSG_NOSIGNAL) != n) break;
          close(c);
        });
      }
    });
  }
  ~EchoServer() {
    shutdown(fd_, SHUT_RDWR);
    acceptor_.join();
    for (auto& w : workers_) w.join();
    close(fd_);
  }
  int port() const { return port_; }

 private:
  int port_ = 0;
  int fd_;
  std::thread acceptor_;
  std::vector<std::thread> workers_;
};

// The proxy binary with its own routes file; stopped with SIGTERM at the end.
class ProxyProcess {
 public:
  ProxyProcess(const std::string& routes, const std::string& rtt_ms) {
    char pattern[] = "/tmp/delay-proxy-test-XXXXXX";
    dir_ = mkdtemp(pattern);
    std::ofstream(dir_ + "/routes") << routes;
    pid_ = start({LAB_DELAY_PROXY_BINARY, "--rtt-ms", rtt_ms, "--routes", dir_ + "/routes",
                  "--ready-file", dir_ + "/ready"});
    // Waits for the ready file, which appears once every listener is bound.
    auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!fs::exists(dir_ + "/ready")) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        exit_status_ = status;
        return;
      }
      if (Clock::now() > deadline) throw std::runtime_error("the proxy did not get ready");
      std::this_thread::sleep_for(std::chrono::milliseconds(2));  // no readiness event
    }
  }
  ~ProxyProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    fs::remove_all(dir_);
  }
  bool running() const { return pid_ > 0; }
  int exit_code() const { return WIFEXITED(exit_status_) ? WEXITSTATUS(exit_status_) : -1; }
  std::string stderr_text() const {
    std::ifstream in(dir_ + "/stderr");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  int start(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::string err = dir_ + "/stderr";
    pid_t pid = fork();
    if (pid == 0) {
      int fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(fd, 2);
      execv(args[0], args.data());
      _exit(127);
    }
    return pid;
  }
  std::string dir_;
  int pid_ = -1;
  int exit_status_ = 0;
};

std::string route(const std::string& listen, int listen_port, const std::string& target,
                  int target_port) {
  return listen + " " + std::to_string(listen_port) + " " + target + " " +
         std::to_string(target_port) + "\n";
}

std::string random_bytes(size_t size, unsigned seed) {
  std::mt19937 gen(seed);
  std::string out(size, '\0');
  for (auto& c : out) c = static_cast<char>(gen() & 0xFF);
  return out;
}

// Sends `data` from a thread of its own (the echo comes back while it is still sending),
// half-closes, and returns everything read back until the proxy passes the echo's EOF on.
std::string echo_through(int fd, const std::string& data) {
  std::thread sender([&] {
    write_all(fd, data);
    shutdown(fd, SHUT_WR);
  });
  std::string back = read_until_eof(fd);
  sender.join();
  return back;
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

}  // namespace

TEST_CASE("a round trip through the proxy takes at least the RTT it was given") {
  EchoServer echo;
  int port = free_port(kProxyAddress);
  ProxyProcess proxy(route(kProxyAddress, port, kEchoAddress, echo.port()), "100");
  REQUIRE(proxy.running());
  int fd = connect_to(kProxyAddress, port);
  for (int i = 0; i < 5; ++i) {
    auto start = Clock::now();
    write_all(fd, std::string(1, static_cast<char>('a' + i)));
    std::string back = read_until_eof(fd, 1);
    double ms = ms_since(start);
    INFO("round trip " << i << ": " << ms << " ms");
    CHECK(back == std::string(1, static_cast<char>('a' + i)));
    CHECK(ms >= 100.0);
    CHECK(ms < 2100.0);  // delayed once each way, not queued behind a second timer
  }
  close(fd);
}

TEST_CASE("the same echo without the proxy answers in well under the RTT") {
  // The baseline that shows the delay above is the proxy's, not the echo server's.
  EchoServer echo;
  int fd = connect_to(kEchoAddress, echo.port());
  auto start = Clock::now();
  write_all(fd, "x");
  CHECK(read_until_eof(fd, 1) == "x");
  CHECK(ms_since(start) < 100.0);
  close(fd);
}

TEST_CASE("a large transfer arrives unchanged and in order, and the EOF is passed on") {
  EchoServer echo;
  int port = free_port(kProxyAddress);
  ProxyProcess proxy(route(kProxyAddress, port, kEchoAddress, echo.port()), "20");
  REQUIRE(proxy.running());
  std::string data = random_bytes(48u << 20, 15);
  int fd = connect_to(kProxyAddress, port);
  std::string back = echo_through(fd, data);
  close(fd);
  CHECK(back.size() == data.size());
  CHECK(back == data);
}

TEST_CASE("connections at once keep their own bytes") {
  EchoServer echo;
  int port = free_port(kProxyAddress);
  ProxyProcess proxy(route(kProxyAddress, port, kEchoAddress, echo.port()), "10");
  REQUIRE(proxy.running());
  constexpr int kConnections = 24;
  std::vector<std::string> sent(kConnections), received(kConnections);
  std::vector<std::thread> clients;
  for (int i = 0; i < kConnections; ++i) {
    sent[i] = random_bytes(1u << 20, 100 + static_cast<unsigned>(i));
    clients.emplace_back([&, i] {
      int fd = connect_to(kProxyAddress, port);
      received[i] = echo_through(fd, sent[i]);
      close(fd);
    });
  }
  for (auto& c : clients) c.join();
  for (int i = 0; i < kConnections; ++i) {
    INFO("connection " << i);
    CHECK(received[i] == sent[i]);
  }
}

TEST_CASE("a route to nothing fails its connection; the other routes keep working") {
  EchoServer echo;
  int good = free_port(kProxyAddress), dead = free_port(kProxyAddress);
  int nobody = free_port(kEchoAddress);  // nothing listens there
  ProxyProcess proxy(route(kProxyAddress, good, kEchoAddress, echo.port()) +
                         route(kProxyAddress, dead, kEchoAddress, nobody),
                     "10");
  REQUIRE(proxy.running());
  int fd = connect_to(kProxyAddress, dead);
  std::string got;
  try {
    got = read_until_eof(fd);  // the proxy closes it (a reset, or an EOF)
  } catch (const std::runtime_error&) {
  }
  CHECK(got.empty());
  close(fd);
  fd = connect_to(kProxyAddress, good);
  CHECK(echo_through(fd, "still here") == "still here");
  close(fd);
  CHECK(proxy.stderr_text().find("Connection refused") != std::string::npos);
  CHECK(proxy.running());
}

TEST_CASE("a route off loopback stops the proxy before it listens") {
  int port = free_port(kProxyAddress);
  ProxyProcess proxy(route(kProxyAddress, port, "10.0.0.1", 22), "10");
  CHECK_FALSE(proxy.running());
  CHECK(proxy.exit_code() == 1);
  CHECK(proxy.stderr_text().find("10.0.0.1 is not a loopback address") != std::string::npos);
}
