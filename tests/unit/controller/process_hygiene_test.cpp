// The finding "secrets stay in the process": from outside, as another process of the same
// user (or a crash) would, nothing of the --password-env password may be found, and the
// process cannot be dumped. The probe runs ProcessHygiene exactly as main() does.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using Catch::Matchers::Contains;

namespace {

const std::string kSecret = "Pr0be-s3cret-value-4711";

struct Probe {
  pid_t pid = -1;
  int to_child = -1;
  FILE* from_child = nullptr;

  Probe(const std::vector<std::string>& args, bool as_nobody) {
    int in[2], out[2];
    REQUIRE(::pipe(in) == 0);
    REQUIRE(::pipe(out) == 0);
    pid = ::fork();
    if (pid == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::close(in[1]);
      ::close(out[0]);
      if (as_nobody && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(126);
      std::vector<char*> argv;
      std::string probe = PROBE_BINARY;
      argv.push_back(probe.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      std::string v1 = "LKR_TEST_PASSWORD=" + kSecret, v2 = "LKR_PROBE_VARIABLE=LKR_TEST_PASSWORD",
                  v3 = "LKR_PROBE_EXPECTED=" + std::string(kSecret.rbegin(), kSecret.rend()),
                  v4 = "PATH=/usr/bin:/bin";
      // The name twice, as a hand-made environment block may hold it: both must go.
      std::string v5 = "LKR_TEST_PASSWORD=" + kSecret + "-again";
      std::vector<char*> envp{v1.data(), v2.data(), v3.data(), v4.data(), v5.data(), nullptr};
      // ASan's options, when the test has some, so the probe behaves as the test does.
      std::string asan = std::string("ASAN_OPTIONS=") +
                         (std::getenv("ASAN_OPTIONS") ? std::getenv("ASAN_OPTIONS") : "");
      envp.insert(envp.end() - 1, asan.data());
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    REQUIRE(pid > 0);
    ::close(in[0]);
    ::close(out[1]);
    to_child = in[1];
    from_child = ::fdopen(out[0], "r");
  }
  ~Probe() {
    if (to_child >= 0) ::close(to_child);
    if (from_child) std::fclose(from_child);
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
  std::string read_line() {
    char buffer[256] = {};
    if (!std::fgets(buffer, sizeof buffer, from_child)) return "";
    return buffer;
  }
  void go_on() { REQUIRE(::write(to_child, "\n", 1) == 1); }
  std::string proc(const std::string& file) const {
    std::ifstream in("/proc/" + std::to_string(pid) + "/" + file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

void check_environment_clean(const std::vector<std::string>& args) {
  Probe probe(args, false);
  std::string line = probe.read_line();
  REQUIRE_THAT(line, Contains("dumpable=0"));
  CHECK_THAT(line, Contains("readable=yes"));  // the password source still finds it
  std::string environ = probe.proc("environ");
  CHECK(environ.find(kSecret) == std::string::npos);
  CHECK(environ.find("LKR_TEST_PASSWORD=") == std::string::npos);
  CHECK_THAT(environ, Contains("LKR_PROBE_VARIABLE=LKR_TEST_PASSWORD"));  // others untouched
  std::string limits = probe.proc("limits");
  CHECK_THAT(limits, Contains("Max core file size        0                    0"));
  probe.go_on();
  CHECK_THAT(probe.read_line(), Contains("after=removed"));
}

}  // namespace

TEST_CASE("the --password-env value is gone from /proc/PID/environ; no core, not dumpable") {
  SECTION("--password-env VAR") {
    check_environment_clean({"ping", "--password-env", "LKR_TEST_PASSWORD"});
  }
  SECTION("--password VAR (a prefix, as Boost takes it)") {
    check_environment_clean({"ping", "--password", "LKR_TEST_PASSWORD"});
  }
  SECTION("--password-env=VAR") {
    check_environment_clean({"ping", "--password-env=LKR_TEST_PASSWORD"});
  }
}

TEST_CASE("another process of the same user cannot open the probe's memory") {
  // A process that is not dumpable has its /proc files owned by root: a user's other
  // processes (an attacker running as that user) can no longer read them.
  if (::geteuid() != 0) return;  // only root can start the probe as another user
  Probe probe({"ping", "--password-env", "LKR_TEST_PASSWORD"}, true);
  REQUIRE_THAT(probe.read_line(), Contains("dumpable=0"));
  struct stat st {};
  REQUIRE(::stat(("/proc/" + std::to_string(probe.pid) + "/mem").c_str(), &st) == 0);
  CHECK(st.st_uid == 0);
}

// The product itself: `lkrecover ping` started by another user than the test (as root the
// test can hand its folders over), its one node a socket that accepts and never speaks, so
// the run waits in the SSH handshake while the test looks at it from outside.
TEST_CASE("a running lkrecover: password gone from /proc/PID/environ, not dumpable, no core") {
  if (::geteuid() != 0) return;  // needs to start lkrecover as another user
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof a;
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &length) == 0);
  REQUIRE(::listen(listener, 8) == 0);
  int port = ntohs(a.sin_port);

  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("lkr-hygiene-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "runs");
  std::ofstream(dir / "inventory.yml") << "all:\n  children:\n    c1:\n      vars:\n"
                                       << "        lk_cluster: true\n        lk_replaced: NODEB\n"
                                       << "      hosts:\n        NODEA:\n"
                                       << "          ansible_host: 127.0.0.1\n"
                                       << "          ansible_port: " << port << "\n"
                                       << "          ansible_user: Administrator\n"
                                       << "        NODEB:\n          ansible_host: 127.0.0.1\n"
                                       << "          ansible_port: " << port << "\n";
  std::ofstream(dir / "known_hosts") << "";
  for (const auto& p : {dir, dir / "runs", dir / "inventory.yml", dir / "known_hosts"})
    REQUIRE(::chown(p.c_str(), 65534, 65534) == 0);

  pid_t pid = ::fork();
  if (pid == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(126);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    std::string inventory = (dir / "inventory.yml").string(), runs = (dir / "runs").string(),
                known = (dir / "known_hosts").string();
    std::vector<std::string> args{LKRECOVER_BINARY,
                                  "ping",
                                  "-i",
                                  inventory,
                                  "--log-dir",
                                  runs,
                                  "--known-hosts",
                                  known,
                                  "--password-env",
                                  "LKR_TEST_PASSWORD",
                                  "--connect-timeout",
                                  "60"};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::string v1 = "LKR_TEST_PASSWORD=" + kSecret, v2 = "HOME=" + dir.string(),
                v3 = "PATH=/usr/bin:/bin";
    std::vector<char*> envp{v1.data(), v2.data(), v3.data(), nullptr};
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  REQUIRE(pid > 0);
  // lkrecover is past its first line once it connects to its node.
  pollfd ready{listener, POLLIN, 0};
  bool connected = ::poll(&ready, 1, 30000) == 1;
  std::string proc = "/proc/" + std::to_string(pid) + "/";
  std::ifstream environ_file(proc + "environ", std::ios::binary), limits_file(proc + "limits");
  std::stringstream environ, limits;
  environ << environ_file.rdbuf();
  limits << limits_file.rdbuf();
  struct stat mem {};
  int mem_rc = ::stat((proc + "mem").c_str(), &mem);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ::close(listener);
  fs::remove_all(dir);

  REQUIRE(connected);
  CHECK(environ.str().find(kSecret) == std::string::npos);
  CHECK(environ.str().find("LKR_TEST_PASSWORD=") == std::string::npos);
  CHECK_THAT(environ.str(), Contains("PATH=/usr/bin:/bin"));
  CHECK_THAT(limits.str(), Contains("Max core file size        0                    0"));
  REQUIRE(mem_rc == 0);
  CHECK(mem.st_uid == 0);  // not dumpable: its /proc files are root's, not its user's
}
