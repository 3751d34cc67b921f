// SIGINT in the middle of a recovery: in-flight commands finish, nothing new starts, the
// recap and run.json are written, exit 99; a plain re-run then finishes the job.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/e2e/controller/product_run.h"

using lab::testing::LabFixture;
using nlohmann::json;
namespace e2e = lkr::e2e;

namespace {

int spawn(const std::vector<std::string>& args, const std::string& out_path) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE* out = std::fopen(out_path.c_str(), "w");
    if (out != nullptr) {
      dup2(fileno(out), 1);
      dup2(fileno(out), 2);
    }
    std::vector<char*> argv;
    std::string bin = LKRECOVER_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

// Lines of events.jsonl that record a change made (status "changed").
int changes_recorded(const std::string& log_dir) {
  std::string run = e2e::newest_run_dir(log_dir);
  if (run.empty()) return 0;
  std::ifstream in(run + "/events.jsonl");
  int n = 0;
  for (std::string line; std::getline(in, line);)
    if (line.find("\"status\":\"changed\"") != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST_CASE("SIGINT: in-flight commands finish, record written, exit 99, re-run completes", "[e2e]") {
  LabFixture lab(std::string(LAB_SCENARIO_DIR) + "/three-node.json");
  std::string logs = lab::testing::make_temp_dir("lkr-int");
  // Slow nodes, so that the run is certainly in the middle of its changes when we stop it.
  for (const auto& n : lab.record().nodes)
    REQUIRE(lab.lab({"fault", n.system, "--latency", "250"}).rc == 0);

  int pid = spawn({"run", "-i", lab.inventory_path(), "--all", "--yes", "--log-dir", logs},
                  logs + "/console.txt");
  REQUIRE(pid > 0);
  // Wait (bounded) for the first recorded change, then interrupt.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (changes_recorded(logs) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(changes_recorded(logs) > 0);
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 99);

  std::string run_dir = e2e::newest_run_dir(logs);
  std::ifstream run_json(run_dir + "/run.json");
  json rj = json::parse(run_json);
  CHECK(rj["exit_code"] == 99);
  CHECK(e2e::validate_json("events.schema.json", run_dir + "/events.jsonl").rc == 0);
  CHECK(e2e::lkrecover({"audit", "verify", run_dir}).rc == 0);
  std::ifstream console(logs + "/console.txt");
  std::stringstream text;
  text << console.rdbuf();
  CHECK(text.str().find("PLAY RECAP") != std::string::npos);

  // Nothing is half-done in a way a re-run cannot finish.
  for (const auto& n : lab.record().nodes) REQUIRE(lab.lab({"fault", n.system, "--clear"}).rc == 0);
  auto again = e2e::run_all(lab, logs);
  INFO(again.process.out << again.process.err);
  CHECK(again.process.rc == 0);
  for (const std::string node : {"ALPHA", "BRAVO"}) {
    json d = lab.dump(node);
    CHECK(d["on_disk"]["systems"].dump().find("CHARLIE") == std::string::npos);
    CHECK(d["in_memory"] == d["on_disk"]);
    CHECK(d["violations"].empty());
  }
  lab::testing::remove_tree(logs);
}
