// Fault injection through `lab fault` (LAB.md), observed with the OpenSSH client.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>

#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;
using lab::testing::lf;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kSysList = "BENHOGAN2008\nGPLAYER2008\n";

long elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               since)
      .count();
}

void arm(const LabFixture& fx, std::vector<std::string> args) {
  args.insert(args.begin(), {"fault", "BENHOGAN2008"});
  auto r = fx.lab(args);
  INFO(r.err);
  REQUIRE(r.rc == 0);
}

}  // namespace

TEST_CASE("fail fires the given number of times, then the command works again") {
  LabFixture fx(kSeed);
  arm(fx, {"--command", "sys_list", "--fail", "7", "--message", "LCD busy", "--times", "1"});
  auto failed = fx.ssh("BENHOGAN2008", "sys_list");
  CHECK(failed.rc == 7);
  CHECK(failed.err.find("LCD busy") != std::string::npos);
  auto ok = fx.ssh("BENHOGAN2008", "sys_list");
  CHECK(ok.rc == 0);
  CHECK(lf(ok.out) == kSysList);
}

TEST_CASE("--skip lets that many matching commands through before the fault fires") {
  LabFixture fx(kSeed);
  arm(fx, {"--command", "sys_list", "--fail", "7", "--times", "1", "--skip", "2"});
  CHECK(fx.ssh("BENHOGAN2008", "eqv_list").rc == 0);  // not a match: does not count
  CHECK(fx.ssh("BENHOGAN2008", "sys_list").rc == 0);
  CHECK(fx.ssh("BENHOGAN2008", "sys_list").rc == 0);
  CHECK(fx.ssh("BENHOGAN2008", "sys_list").rc == 7);
  CHECK(fx.ssh("BENHOGAN2008", "sys_list").rc == 0);
}

TEST_CASE("a fault limited to one command leaves the others alone") {
  LabFixture fx(kSeed);
  arm(fx, {"--command", "eqv_list", "--fail", "3"});
  CHECK(fx.ssh("BENHOGAN2008", "sys_list").rc == 0);
  CHECK(fx.ssh("BENHOGAN2008", "eqv_list").rc == 3);
  CHECK(fx.ssh("BENHOGAN2008", "eqv_list").rc == 3);  // no --times: always
}

TEST_CASE("delay and latency slow the command down") {
  LabFixture fx(kSeed);
  arm(fx, {"--command", "sys_list", "--delay", "400"});
  auto start = std::chrono::steady_clock::now();
  auto delayed = fx.ssh("BENHOGAN2008", "sys_list");
  CHECK(elapsed_ms(start) >= 400);
  CHECK(lf(delayed.out) == kSysList);

  REQUIRE(fx.lab({"fault", "BENHOGAN2008", "--clear"}).rc == 0);
  REQUIRE(fx.lab({"fault", "BENHOGAN2008", "--latency", "300"}).rc == 0);
  start = std::chrono::steady_clock::now();
  CHECK(fx.ssh("BENHOGAN2008", "hostname").rc == 0);
  CHECK(elapsed_ms(start) >= 300);
}

TEST_CASE("hang: the command never ends; the client's timeout ends it") {
  LabFixture fx(kSeed);
  arm(fx, {"--command", "lcdsync", "--hang"});
  auto start = std::chrono::steady_clock::now();
  auto hung = fx.ssh("BENHOGAN2008", "lcdsync", 1500);
  CHECK(hung.timed_out);
  CHECK(elapsed_ms(start) >= 1500);
  // The node still serves other commands.
  CHECK(lf(fx.ssh("BENHOGAN2008", "sys_list").out) == kSysList);
}

TEST_CASE("garbage: the output is not the command's") {
  LabFixture fx(kSeed);
  arm(fx, {"--command", "sys_list", "--garbage", "--times", "1"});
  auto garbled = fx.ssh("BENHOGAN2008", "sys_list");
  CHECK_FALSE(garbled.out.empty());
  CHECK(lf(garbled.out) != kSysList);
  CHECK(lf(fx.ssh("BENHOGAN2008", "sys_list").out) == kSysList);
}

TEST_CASE("drop: the connection is cut, ssh exits 255") {
  LabFixture fx(kSeed);
  arm(fx, {"--command", "lcdsync", "--drop", "--times", "1"});
  auto dropped = fx.ssh("BENHOGAN2008", "lcdsync", 10000);
  CHECK_FALSE(dropped.timed_out);
  CHECK(dropped.rc == 255);
  // Only that connection: the node still answers.
  CHECK(lf(fx.ssh("BENHOGAN2008", "sys_list").out) == kSysList);
}

TEST_CASE("--clear removes every fault") {
  LabFixture fx(kSeed);
  arm(fx, {"--command", "sys_list", "--fail", "9"});
  CHECK(fx.ssh("BENHOGAN2008", "sys_list").rc == 9);
  REQUIRE(fx.lab({"fault", "BENHOGAN2008", "--clear"}).rc == 0);
  CHECK(fx.ssh("BENHOGAN2008", "sys_list").rc == 0);
}

TEST_CASE("lab fault without a kind, or with two, is refused") {
  LabFixture fx(kSeed);
  CHECK(fx.lab({"fault", "BENHOGAN2008"}).rc != 0);
  CHECK(fx.lab({"fault", "BENHOGAN2008", "--hang", "--drop"}).rc != 0);
}

TEST_CASE("a fault armed by the scenario fires on its node") {
  std::string dir = lab::testing::make_temp_dir("lab-fault-scenario");
  struct Cleanup {
    std::string d;
    ~Cleanup() { lab::testing::remove_tree(d); }
  } cleanup{dir};
  std::ifstream seed(kSeed);
  nlohmann::json scenario = nlohmann::json::parse(seed);
  scenario["clusters"][0]["faults"] = nlohmann::json::parse(
      R"([{"node": "BENHOGAN2008", "command": "sys_list", "fail": {"rc": 1, "message": "LCD busy"},
          "times": 1}])");
  std::ofstream(dir + "/faulty.json") << scenario.dump();
  LabFixture fx(dir + "/faulty.json");
  CHECK(fx.ssh("GPLAYER2008", "sys_list").rc == 0);
  auto failed = fx.ssh("BENHOGAN2008", "sys_list");
  CHECK(failed.rc == 1);
  CHECK(failed.err.find("LCD busy") != std::string::npos);
  CHECK(lf(fx.ssh("BENHOGAN2008", "sys_list").out) == kSysList);
}

TEST_CASE("flood: the given number of filler bytes in lines of the given length, then the output") {
  LabFixture fx(kSeed);
  arm(fx, {"--command", "sys_list", "--flood", "300000", "--line-bytes", "100000", "--times", "1"});
  auto flooded = fx.ssh("BENHOGAN2008", "sys_list");
  CHECK(flooded.rc == 0);
  REQUIRE(flooded.out.size() == 300000 + kSysList.size() + 2);  // + CR of each output line
  std::string line(99998, 'F');
  CHECK(flooded.out.substr(0, 300000) == line + "\r\n" + line + "\r\n" + line + "\r\n");
  CHECK(lf(flooded.out.substr(300000)) == kSysList);
  CHECK(lf(fx.ssh("BENHOGAN2008", "sys_list").out) == kSysList);  // --times 1: spent
}
