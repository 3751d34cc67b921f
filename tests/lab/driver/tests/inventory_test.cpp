// The inventory `lab up` writes: Ansible YAML that survives any character in names.
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>

#include "tests/lab/driver/inventory_writer.h"

namespace {

lab::Scenario multi_cluster() {
  return lab::load_scenario(std::string(LAB_SCENARIO_DIR) + "/multi-cluster.json");
}

std::vector<lab::InventoryHost> hosts_of(const lab::Scenario& s) {
  std::vector<lab::InventoryHost> hosts;
  int port = 2000;
  for (const auto& c : s.clusters)
    for (const auto& n : c.nodes) hosts.push_back({&c, &n, port++});
  return hosts;
}

}  // namespace

TEST_CASE("one group per cluster, hosts by system name, read back unchanged") {
  auto s = multi_cluster();
  auto hosts = hosts_of(s);
  YAML::Node doc = YAML::Load(lab::inventory_yaml(s, hosts, {"root", "/st/client key", "/st/kh"}));
  CHECK(doc["all"]["vars"]["lk_known_hosts"].as<std::string>() == "/st/kh");
  YAML::Node groups = doc["all"]["children"];
  CHECK(groups.size() == s.clusters.size());
  for (const auto& h : hosts) {
    INFO(h.cluster->name << " / " << h.node->system);
    YAML::Node group = groups[h.cluster->name];
    REQUIRE(group);
    CHECK(group["vars"]["lk_cluster"].as<bool>());
    CHECK(group["vars"]["lk_replaced"].as<std::string>() == h.cluster->replaced);
    YAML::Node host = group["hosts"][h.node->system];
    REQUIRE(host);
    CHECK(host["ansible_host"].as<std::string>() == h.node->address);
    CHECK(host["ansible_port"].as<int>() == h.port);
    CHECK(host["ansible_user"].as<std::string>() == "root");
    CHECK(host["ansible_connection"].as<std::string>() == "ssh");
    CHECK(host["ansible_shell_type"].as<std::string>() == "cmd");
    CHECK(host["ansible_ssh_private_key_file"].as<std::string>() == "/st/client key");
    CHECK(host["lk_root"].as<std::string>() == h.node->lkroot);
    CHECK(host["dk_extmirrbase"].as<std::string>() == h.node->extmirrbase);
  }
}

TEST_CASE("names with YAML's special characters stay intact") {
  lab::Scenario s;
  lab::ClusterSpec c;
  c.name = "a: b & #c";
  c.replaced = "N2 '\"";
  lab::NodeSpec n1, n2;
  n1.system = "- N1 ?";
  n1.address = "127.1.0.1";
  n2.system = c.replaced;
  n2.address = "127.1.0.2";
  c.nodes = {n1, n2};
  s.clusters = {c};
  std::vector<lab::InventoryHost> hosts{{&s.clusters[0], &s.clusters[0].nodes[0], 22},
                                        {&s.clusters[0], &s.clusters[0].nodes[1], 22}};
  YAML::Node doc = YAML::Load(lab::inventory_yaml(s, hosts, {"u", "k", "kh"}));
  YAML::Node group = doc["all"]["children"]["a: b & #c"];
  REQUIRE(group);
  CHECK(group["vars"]["lk_replaced"].as<std::string>() == "N2 '\"");
  CHECK(group["hosts"]["- N1 ?"]["ansible_host"].as<std::string>() == "127.1.0.1");
}
