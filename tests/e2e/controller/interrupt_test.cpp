// SIGINT in the middle of a recovery: in-flight commands finish, nothing new starts, the
// recap and run.json are written, exit 99; a plain re-run then finishes the job. Over SSH
// and over WinRM (product_run.h: the same test, two CTest instances).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/e2e/controller/product_run.h"

using lkr::e2e::Lab;
using nlohmann::json;
namespace e2e = lkr::e2e;

namespace {

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
  Lab lab(std::string(LAB_SCENARIO_DIR) + "/three-node.json");
  e2e::TempDir logs_dir("lkr-int");
  const std::string& logs = logs_dir.path;
  // Slow nodes, so that the run is certainly in the middle of its changes when we stop it.
  for (const auto& n : lab.record().nodes)
    REQUIRE(lab.lab({"fault", n.system, "--latency", "250"}).rc == 0);

  int pid =
      e2e::spawn_lkrecover({"run", "-i", lab.inventory_path(), "--all", "--yes", "--log-dir", logs},
                           logs + "/console.txt");
  REQUIRE(pid > 0);
  // Wait (bounded) for the first recorded change, then interrupt.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (changes_recorded(logs) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(changes_recorded(logs) > 0);
  kill(pid, SIGINT);
  int status = e2e::wait_exit(pid);
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
  // The checklist of the first snapshot was written before the first change.
  const std::string checklist = "/clusters/erp/reextension-checklist.json";
  json first_list = json::parse(e2e::read_text(run_dir + checklist), nullptr, false);
  REQUIRE(first_list.is_object());
  CHECK_FALSE(first_list["hierarchies"].empty());

  // Nothing is half-done in a way a re-run cannot finish.
  for (const auto& n : lab.record().nodes) REQUIRE(lab.lab({"fault", n.system, "--clear"}).rc == 0);
  auto again = e2e::run_all(lab, logs);
  INFO(again.process.out << again.process.err);
  CHECK(again.process.rc == 0);
  // The re-run's snapshot no longer shows what was removed; its checklist still lists it.
  json final_list = json::parse(
      e2e::read_text(again.summary["run_dir"].get<std::string>() + checklist), nullptr, false);
  CHECK(final_list == first_list);
  for (const std::string node : {"ALPHA", "BRAVO"}) {
    json d = lab.dump(node);
    CHECK(d["on_disk"]["systems"].dump().find("CHARLIE") == std::string::npos);
    CHECK(d["in_memory"] == d["on_disk"]);
    CHECK(d["violations"].empty());
  }
}
