// `lab down` leaves nothing running: listeners, connection sshds, and commands still
// running on the nodes (a hung lab-cmd) are all stopped.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/e2e/transports/winrm_test_support.h"
#include "tests/lab/driver/process_tree.h"
#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";

std::vector<int> processes_mentioning(const std::string& text) {
  std::vector<int> found;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    int pid = std::stoi(name);
    if (pid != getpid() && lab::process_alive(pid) &&
        lab::process_cmdline(pid).find(text) != std::string::npos)
      found.push_back(pid);
  }
  return found;
}

// Bounded wait for the hung command to be running on the node.
bool wait_for_hung_lab_cmd(const std::string& state_dir) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    for (int pid : processes_mentioning(state_dir))
      if (lab::process_cmdline(pid).find("lab-cmd") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

TEST_CASE("lab down stops listeners, connections and hung commands") {
  LabFixture fx(kSeed);
  REQUIRE(fx.lab({"fault", "BENHOGAN2008", "--command", "lcdsync", "--hang"}).rc == 0);
  auto argv = fx.ssh_argv("BENHOGAN2008");
  argv.push_back("lcdsync");
  int client = lab::spawn_detached(argv, fx.state_dir() + "/client.log");
  REQUIRE(wait_for_hung_lab_cmd(fx.state_dir()));

  auto down = fx.down();
  CHECK(down.rc == 0);
  // Two listeners, the hung command's connection sshd(s) and the lab-cmd itself.
  INFO(down.out);
  CHECK(down.out.find("stopped ") != std::string::npos);
  int stopped = std::stoi(down.out.substr(down.out.find("stopped ") + 8));
  CHECK(stopped >= 4);

  // The client saw its connection closed and exits (its own command line names the
  // state folder too, so it goes before the scan below).
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (waitpid(client, &status, WNOHANG) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  bool client_exited = !lab::process_alive(client);
  if (!client_exited) kill(client, SIGKILL);
  CHECK(client_exited);

  for (const auto& n : fx.record().nodes) CHECK_FALSE(lab::process_alive(n.pid));
  CHECK(processes_mentioning(fx.state_dir()).empty());

  auto again = fx.down();
  CHECK(again.rc == 0);
  CHECK(again.out.find("stopped 0 processes") != std::string::npos);
}

TEST_CASE("the lab's daemons hold none of their starter's open files") {
  // An inheritable descriptor of ours (no O_CLOEXEC), as a test runner's pipe or a lock
  // would be: the lab binary inherits it, and without care every sshd it starts would too.
  std::string marker =
      std::filesystem::temp_directory_path() / ("lab-fd-marker-" + std::to_string(getpid()));
  int fd = open(marker.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  {
    // Every node also served over WinRM: lab-winrm is a daemon of ours (sshd closes
    // what it inherits by itself; ours must be made to).
    LabFixture fx(lkr::test::winrm_variant(kSeed, "basic", "https"));
    for (const auto& n : fx.record().nodes)
      for (int pid : {n.pid, n.winrm_pid}) {
        REQUIRE(lab::process_alive(pid));
        for (const auto& e :
             std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
          std::error_code ec;
          auto target = std::filesystem::read_symlink(e.path(), ec);
          INFO(n.system << " pid " << pid << " fd " << e.path().filename().string() << " -> "
                        << target.string());
          CHECK(target.string() != marker);
        }
      }
  }
  close(fd);
  std::filesystem::remove(marker);
}

TEST_CASE("a lab whose folder was removed without lab down does not block the next one") {
  std::vector<int> orphaned;
  {
    LabFixture first(kSeed);
    for (const auto& n : first.record().nodes) {
      orphaned.push_back(n.pid);
      REQUIRE(n.winrm_pid > 0);  // every node serves WinRM too (LAB.md)
      orphaned.push_back(n.winrm_pid);
    }
    // As when a test is killed from outside: the folder goes, its sshds and lab-winrms stay.
    lab::testing::remove_tree(first.state_dir());
    for (int pid : orphaned) REQUIRE(lab::process_alive(pid));
  }  // its `lab down` finds no record and no folder: nothing to stop by it
  for (int pid : orphaned) REQUIRE(lab::process_alive(pid));
  LabFixture second(kSeed);  // same subnet, same addresses
  for (int pid : orphaned) CHECK_FALSE(lab::process_alive(pid));
  for (const auto& n : second.record().nodes) {
    CHECK(lab::process_alive(n.pid));
    CHECK(lab::process_alive(n.winrm_pid));
  }
}

// Labs on other subnets run at the same time (one per test executable): a `lab up` stops
// only the orphans holding addresses it needs, so each lab's orphans are stopped by a
// `lab up` on their own addresses, deterministically. 127.190 is this test's own.
TEST_CASE("lab up leaves alone the orphans of a lab on other addresses") {
  std::vector<int> orphaned;
  {
    LabFixture first(lab::testing::LabOptions{kSeed, "127.190", ""});
    for (const auto& n : first.record().nodes)
      orphaned.insert(orphaned.end(), {n.pid, n.winrm_pid});
    lab::testing::remove_tree(first.state_dir());
  }
  {
    LabFixture elsewhere(kSeed);  // this executable's own subnet
    for (int pid : orphaned) CHECK(lab::process_alive(pid));
  }
  LabFixture same_addresses(lab::testing::LabOptions{kSeed, "127.190", ""});
  for (int pid : orphaned) CHECK_FALSE(lab::process_alive(pid));
}
