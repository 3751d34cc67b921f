// `lab` rejects bad input with messages that say what and where.
#include <catch2/catch.hpp>
#include <fstream>

#include "tests/lab/driver/process_tree.h"
#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";

struct TempDir {
  std::string path = lab::testing::make_temp_dir("lab-bad-input");
  ~TempDir() { lab::testing::remove_tree(path); }
};

}  // namespace

TEST_CASE("a malformed scenario is reported with the file and the JSON path") {
  TempDir dir;
  std::string scenario = dir.path + "/bad.json";
  std::ofstream(scenario) << R"({"clusters": [{"name": "c", "nodes": [
      {"system": "A", "address": "127.10.0.1"},
      {"system": "B", "address": "192.168.0.2"}]}]})";
  auto r = lab::run_process({LAB_BINARY, "up", scenario, "--state", dir.path + "/state"}, 60000);
  CHECK(r.rc != 0);
  CHECK(r.err.find(scenario + ": $.clusters[0].nodes[1].address: expected a 127.x.y.z address") !=
        std::string::npos);
}

TEST_CASE("an address already in use names the node and the address") {
  LabFixture running(kSeed);
  TempDir dir;
  auto second = lab::run_process(
      {LAB_BINARY, "up", kSeed, "--state", dir.path, "--subnet", LAB_TEST_SUBNET}, 60000);
  CHECK(second.rc != 0);
  CHECK(second.err.find("node \"BENHOGAN2008\"") != std::string::npos);
  CHECK(second.err.find(std::string(LAB_TEST_SUBNET) + ".0.1:22") != std::string::npos);
  // The running lab is untouched.
  CHECK(running.ssh("BENHOGAN2008", "hostname").rc == 0);
  for (const auto& n : running.record().nodes) CHECK(lab::process_alive(n.pid));
}

TEST_CASE("an unknown node in dump or fault lists the nodes that exist") {
  LabFixture fx(kSeed);
  for (auto args : {std::vector<std::string>{"dump", "NOPE"},
                    std::vector<std::string>{"fault", "NOPE", "--hang"},
                    std::vector<std::string>{"restart", "NOPE"}}) {
    auto r = fx.lab(args);
    INFO(args[0]);
    CHECK(r.rc != 0);
    CHECK(r.err.find("unknown node \"NOPE\"") != std::string::npos);
    CHECK(r.err.find("sql-prod/BENHOGAN2008") != std::string::npos);
    CHECK(r.err.find("sql-prod/GPLAYER2008") != std::string::npos);
  }
}

TEST_CASE("a second lab up into a running lab's folder is refused") {
  LabFixture fx(kSeed);
  auto r = fx.lab({"up", kSeed, "--subnet", LAB_TEST_SUBNET});
  CHECK(r.rc != 0);
  CHECK(r.err.find("already running") != std::string::npos);
  CHECK(fx.ssh("BENHOGAN2008", "hostname").rc == 0);
}
