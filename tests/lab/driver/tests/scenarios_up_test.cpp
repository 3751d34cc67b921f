// Every scenario of the repository comes up; every node answers as itself over ssh,
// and the inventory lists it where the product will look for it.
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>

#include "tests/lab/driver/scenario.h"
#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;
using lab::testing::lf;

TEST_CASE("each repository scenario comes up and every node answers hostname") {
  for (const char* name :
       {"seed.json", "three-node.json", "multi-cluster.json", "three-node-multitarget.json",
        "variants.json", "healthy-replaced.json"}) {
    INFO(name);
    std::string path = std::string(LAB_SCENARIO_DIR) + "/" + name;
    lab::Scenario scenario = lab::load_scenario(path);
    LabFixture fx(path);
    YAML::Node groups = YAML::LoadFile(fx.inventory_path())["all"]["children"];
    size_t nodes = 0;
    for (const auto& c : scenario.clusters) {
      for (const auto& n : c.nodes) {
        ++nodes;
        INFO(c.name << "/" << n.system);
        auto r = fx.ssh(c.name + "/" + n.system, "hostname");
        CHECK(r.rc == 0);
        CHECK(lf(r.out) == n.system + "\n");
        YAML::Node host = groups[c.name]["hosts"][n.system];
        REQUIRE(host);
        const auto& rec = lab::resolve_node(fx.record(), c.name + "/" + n.system);
        CHECK(host["ansible_host"].as<std::string>() == rec.address);
        CHECK(host["ansible_port"].as<int>() == rec.port);
      }
    }
    CHECK(fx.record().nodes.size() == nodes);
  }
}
