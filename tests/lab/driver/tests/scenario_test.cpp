// Scenario parsing: the documented format is accepted, and every mistake is reported
// with the file and the JSON path of the problem.
#include "tests/lab/driver/scenario.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

using lab::parse_scenario;
using lab::ScenarioError;
using nlohmann::json;

namespace {

// The LAB.md sample, as a JSON value the tests can break one field at a time.
json lab_md_sample() {
  return json::parse(R"({
    "clusters": [{
      "name": "sql-prod", "replaced": "GPLAYER2008",
      "nodes": [
        {"system": "BENHOGAN2008", "address": "127.10.0.1", "codepage": 437,
         "lkroot": "C:\\LK", "extmirrbase": "C:\\Program Files\\SIOS\\DataKeeper"},
        {"system": "GPLAYER2008", "address": "127.10.0.2", "reinstalled": true}],
      "comm_paths": [{"system": "BENHOGAN2008", "othersystem": "GPLAYER2008",
                      "localaddr": "10.200.8.25", "remoteaddr": "10.200.8.26"}],
      "hierarchies": [{"in_service_on": "BENHOGAN2008", "extended_to": ["GPLAYER2008"],
        "resources": [
          {"tag": "LK1-BENHOGAN2K8", "app": "comm", "type": "ip", "id": "10.200.8.100"},
          {"tag": "Vol.E", "app": "filesys", "type": "volume", "id": "E",
           "mirror": {"job_id": "e829700c-27b0-447f-b852-1a3135da31a7", "job_name": "E Vol", "mode": "A"}}]}],
      "faults": [{"node": "BENHOGAN2008", "command": "lcdsync",
                  "fail": {"rc": 1, "message": "LCD busy"}, "times": 1}]
    }]})");
}

std::string error_of(const json& doc) {
  try {
    parse_scenario(doc.dump(), "seed.json");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("the LAB.md sample scenario parses with its values and defaults") {
  auto s = parse_scenario(lab_md_sample().dump(), "seed.json");
  REQUIRE(s.clusters.size() == 1);
  const auto& c = s.clusters[0];
  CHECK(c.name == "sql-prod");
  CHECK(c.replaced == "GPLAYER2008");
  REQUIRE(c.nodes.size() == 2);
  CHECK(c.nodes[0].address == "127.10.0.1");
  CHECK(c.nodes[0].port == 0);
  CHECK_FALSE(c.nodes[0].reinstalled);
  CHECK(c.nodes[1].reinstalled);
  CHECK(c.nodes[1].codepage == 437);
  CHECK(c.nodes[1].lkroot == "C:\\LK");
  CHECK(c.nodes[1].extmirrbase == "C:\\Program Files\\SIOS\\DataKeeper");
  CHECK(c.nodes[1].transport == "ssh");
  CHECK(c.nodes[1].winrm_auth == "ntlm");
  CHECK(c.nodes[1].winrm_scheme == "http");
  CHECK(c.nodes[1].winrm_cbt == "strict");  // the least convenient: Windows' Strict
  REQUIRE(c.hierarchies[0].resources[1].mirror);
  CHECK(c.hierarchies[0].resources[1].mirror->job_name == "E Vol");
  REQUIRE(c.faults.size() == 1);
  CHECK(c.faults[0].fault.kind == "fail");
  CHECK(c.faults[0].fault.rc == 1);
  CHECK(c.faults[0].fault.message == "LCD busy");
  CHECK(c.faults[0].fault.times == 1);
}

TEST_CASE("the scenario files of the repository parse") {
  for (const char* name :
       {"seed.json", "three-node.json", "multi-cluster.json", "three-node-multitarget.json",
        "variants.json", "healthy-replaced.json", "codepages.json", "fault-matrix.json",
        "hostile-names.json", "powershell.json", "three-node-mixed-shells.json"}) {
    INFO(name);
    auto s = lab::load_scenario(std::string(LAB_SCENARIO_DIR) + "/" + name);
    CHECK_FALSE(s.clusters.empty());
  }
  auto multi = lab::load_scenario(std::string(LAB_SCENARIO_DIR) + "/multi-cluster.json");
  CHECK(multi.clusters.size() >= 10);
}

TEST_CASE("optional node fields and an address with a port are accepted") {
  json doc = lab_md_sample();
  auto& n = doc["clusters"][0]["nodes"][0];
  n["address"] = "127.10.0.1:2222";
  n["codepage"] = 932;
  n["default_shell"] = "powershell";
  n["transport"] = "winrm";
  n["winrm_auth"] = "kerberos";
  n["winrm_scheme"] = "https";
  n["winrm_cbt"] = "relaxed";
  n["latency_ms"] = 25;
  auto s = parse_scenario(doc.dump(), "x.json");
  const auto& node = s.clusters[0].nodes[0];
  CHECK(node.port == 2222);
  CHECK(node.address == "127.10.0.1");
  CHECK(node.codepage == 932);
  CHECK(node.default_shell == "powershell");
  CHECK(node.transport == "winrm");
  CHECK(node.winrm_auth == "kerberos");
  CHECK(node.winrm_scheme == "https");
  CHECK(node.winrm_cbt == "relaxed");
  CHECK(node.latency_ms == 25);
  n["winrm_cbt"] = "lax";
  CHECK_THROWS_WITH(parse_scenario(doc.dump(), "x.json"),
                    Catch::Matchers::Contains("\"strict\", \"relaxed\", \"none\""));
}

TEST_CASE("every fault kind of the scenario format is accepted") {
  json doc = lab_md_sample();
  doc["clusters"][0]["faults"] = json::parse(R"([
    {"node": "BENHOGAN2008", "command": "emcmd", "delay_ms": 300},
    {"node": "BENHOGAN2008", "command": "sys_list", "hang": true},
    {"node": "GPLAYER2008", "command": "eqv_list", "garbage": true, "match": "-s", "apply": false},
    {"node": "GPLAYER2008", "command": "lcdsync", "drop": true, "times": 2}])");
  auto faults = parse_scenario(doc.dump(), "x.json").clusters[0].faults;
  REQUIRE(faults.size() == 4);
  CHECK(faults[0].fault.kind == "delay");
  CHECK(faults[0].fault.delay_ms == 300);
  CHECK(faults[1].fault.kind == "hang");
  CHECK(faults[1].fault.times == -1);
  CHECK(faults[2].fault.kind == "garbage");
  CHECK(faults[2].fault.match == "-s");
  CHECK_FALSE(faults[2].fault.apply);
  CHECK(faults[3].fault.kind == "drop");
  CHECK(faults[3].fault.times == 2);
}

TEST_CASE("flood faults and password nodes") {
  json doc = lab_md_sample();
  doc["clusters"][0]["faults"] = json::parse(R"([
    {"node": "BENHOGAN2008", "command": "eqv_list", "flood": {"bytes": 52428800, "line_bytes": 1048576}},
    {"node": "BENHOGAN2008", "command": "sys_list", "flood": {"bytes": 10}}])");
  doc["clusters"][0]["nodes"][0]["ssh_password"] = "p&^%\"w \u00f6";
  auto s = parse_scenario(doc.dump(), "x.json");
  const auto& faults = s.clusters[0].faults;
  REQUIRE(faults.size() == 2);
  CHECK(faults[0].fault.kind == "flood");
  CHECK(faults[0].fault.flood_bytes == 52428800);
  CHECK(faults[0].fault.flood_line_bytes == 1048576);
  CHECK(faults[1].fault.flood_line_bytes == 0);  // default: 1 MiB lines
  CHECK(s.clusters[0].nodes[0].ssh_password == "p&^%\"w \xC3\xB6");
  CHECK(s.clusters[0].nodes[1].ssh_password.empty());

  doc["clusters"][0]["nodes"][0]["ssh_password"] = "a:b";
  CHECK_THAT(error_of(doc), Catch::StartsWith("seed.json: $.clusters[0].nodes[0].ssh_password: "
                                              "a password for /etc/shadow cannot hold"));
}

TEST_CASE("scenario errors name the file and the JSON path") {
  json doc = lab_md_sample();
  SECTION("address outside 127/8") {
    doc["clusters"][0]["nodes"][1]["address"] = "10.0.0.2";
    CHECK(error_of(doc) ==
          "seed.json: $.clusters[0].nodes[1].address: expected a 127.x.y.z address, got "
          "\"10.0.0.2\"");
  }
  SECTION("bad port") {
    doc["clusters"][0]["nodes"][0]["address"] = "127.10.0.1:70000";
    CHECK_THAT(error_of(doc), Catch::StartsWith("seed.json: $.clusters[0].nodes[0].address: "));
  }
  SECTION("missing field") {
    doc["clusters"][0]["nodes"][0].erase("system");
    CHECK(error_of(doc) == "seed.json: $.clusters[0].nodes[0]: missing required field \"system\"");
  }
  SECTION("wrong type") {
    doc["clusters"][0]["nodes"][0]["codepage"] = "437";
    CHECK(error_of(doc) == "seed.json: $.clusters[0].nodes[0].codepage: expected an integer");
  }
  SECTION("misspelt optional field") {
    doc["clusters"][0]["nodes"][0]["lk_root"] = "C:\\LK";
    CHECK(error_of(doc) == "seed.json: $.clusters[0].nodes[0].lk_root: unknown field");
  }
  SECTION("replaced names no node of the cluster") {
    doc["clusters"][0]["replaced"] = "NOBODY";
    CHECK(error_of(doc) ==
          "seed.json: $.clusters[0].replaced: \"NOBODY\" is not a node of cluster \"sql-prod\"");
  }
  SECTION("comm path to an unknown system") {
    doc["clusters"][0]["comm_paths"][0]["othersystem"] = "GHOST";
    CHECK(error_of(doc) ==
          "seed.json: $.clusters[0].comm_paths[0].othersystem: \"GHOST\" is not "
          "a node of cluster \"sql-prod\"");
  }
  SECTION("hierarchy extended to an unknown system") {
    doc["clusters"][0]["hierarchies"][0]["extended_to"][0] = "GHOST";
    CHECK(error_of(doc) ==
          "seed.json: $.clusters[0].hierarchies[0].extended_to[0]: \"GHOST\" is "
          "not a node of cluster \"sql-prod\"");
  }
  SECTION("duplicate addresses") {
    doc["clusters"][0]["nodes"][1]["address"] = "127.10.0.1";
    CHECK(error_of(doc) ==
          "seed.json: $.clusters[0].nodes[1].address: address 127.10.0.1 is "
          "already used by $.clusters[0].nodes[0]");
  }
  SECTION("a mirror with no comm path to derive its endpoints from") {
    doc["clusters"][0]["comm_paths"] = json::array();
    CHECK_THAT(error_of(doc),
               Catch::StartsWith("seed.json: $.clusters[0].hierarchies[0].resources[1].mirror: no "
                                 "comm path between \"BENHOGAN2008\" and \"GPLAYER2008\""));
  }
  SECTION("fault on an unknown node") {
    doc["clusters"][0]["faults"][0]["node"] = "GHOST";
    CHECK(error_of(doc) ==
          "seed.json: $.clusters[0].faults[0].node: \"GHOST\" is not a node of "
          "cluster \"sql-prod\"");
  }
  SECTION("fault with two kinds") {
    doc["clusters"][0]["faults"][0]["hang"] = true;
    CHECK_THAT(error_of(doc),
               Catch::StartsWith("seed.json: $.clusters[0].faults[0]: expected exactly one of"));
  }
  SECTION("a node other than the replaced one marked reinstalled") {
    doc["clusters"][0]["nodes"][0]["reinstalled"] = true;
    CHECK(error_of(doc) ==
          "seed.json: $.clusters[0].nodes[0].reinstalled: only the \"replaced\" "
          "node can be reinstalled");
  }
  SECTION("a mirror mode that is neither A nor S") {
    doc["clusters"][0]["hierarchies"][0]["resources"][1]["mirror"]["mode"] = "X";
    CHECK(error_of(doc) ==
          "seed.json: $.clusters[0].hierarchies[0].resources[1].mirror.mode: "
          "expected one of \"A\", \"S\", got \"X\"");
  }
}

TEST_CASE("malformed JSON is reported with the file name") {
  CHECK_THROWS_WITH(parse_scenario("{\"clusters\": [", "broken.json"),
                    Catch::StartsWith("broken.json: $: not valid JSON"));
}

TEST_CASE("--subnet replaces the first two octets of every address") {
  auto s = parse_scenario(lab_md_sample().dump(), "seed.json");
  lab::apply_subnet(s, "127.42");
  CHECK(s.clusters[0].nodes[0].address == "127.42.0.1");
  CHECK(s.clusters[0].nodes[1].address == "127.42.0.2");
  CHECK_THROWS_AS(lab::apply_subnet(s, "10.1"), ScenarioError);
  CHECK_THROWS_AS(lab::apply_subnet(s, "127.300"), ScenarioError);
}

TEST_CASE("the optional top-level kerberos_realm") {
  json doc = lab_md_sample();
  CHECK(parse_scenario(doc.dump(), "seed.json").kerberos_realm == "LAB.TEST");  // the default
  doc["kerberos_realm"] = "CORP-2.EXAMPLE";
  CHECK(parse_scenario(doc.dump(), "seed.json").kerberos_realm == "CORP-2.EXAMPLE");
  doc["kerberos_realm"] = "lab.test";  // realms are upper case, as Active Directory's
  CHECK_THAT(error_of(doc), Catch::StartsWith("seed.json: $.kerberos_realm: expected a realm"));
  doc["kerberos_realm"] = "";
  CHECK_THAT(error_of(doc), Catch::StartsWith("seed.json: $.kerberos_realm: "));
}

TEST_CASE("the optional top-level rtt_ms") {
  json doc = lab_md_sample();
  CHECK(parse_scenario(doc.dump(), "seed.json").rtt_ms == 0);  // the default: no proxy
  doc["rtt_ms"] = 20;
  CHECK(parse_scenario(doc.dump(), "seed.json").rtt_ms == 20);
  doc["rtt_ms"] = -1;
  CHECK_THAT(error_of(doc), Catch::StartsWith("seed.json: $.rtt_ms: "));
  doc["rtt_ms"] = lab::kMaxRttMs + 1;
  CHECK_THAT(error_of(doc), Catch::StartsWith("seed.json: $.rtt_ms: "));
  doc["rtt_ms"] = "20";
  CHECK_THAT(error_of(doc), Catch::StartsWith("seed.json: $.rtt_ms: "));
}

TEST_CASE("every scenario file of the folder is listed above") {
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(LAB_SCENARIO_DIR))
    files += e.path().extension() == ".json";
  CHECK(files == 11);
}

TEST_CASE("the replaced node is reinstalled unless it says reinstalled: false") {
  json doc = lab_md_sample();
  doc["clusters"][0]["nodes"][1].erase("reinstalled");
  CHECK(parse_scenario(doc.dump(), "x.json").clusters[0].nodes[1].reinstalled);
  doc["clusters"][0]["nodes"][1]["reinstalled"] = false;
  auto healthy = parse_scenario(doc.dump(), "x.json");
  CHECK_FALSE(healthy.clusters[0].nodes[1].reinstalled);
  CHECK_FALSE(lab::is_reinstalled(healthy.clusters[0], "GPLAYER2008"));
  // A healthy replaced node may hold a hierarchy in service; a reinstalled one may not.
  doc["clusters"][0]["hierarchies"][0]["in_service_on"] = "GPLAYER2008";
  doc["clusters"][0]["hierarchies"][0]["extended_to"][0] = "BENHOGAN2008";
  CHECK(error_of(doc) == "(accepted)");
  doc["clusters"][0]["nodes"][1]["reinstalled"] = true;
  CHECK(error_of(doc) ==
        "seed.json: $.clusters[0].hierarchies[0].in_service_on: the reinstalled node holds no "
        "hierarchy");
}

TEST_CASE("comm path devices: defaults per pair, explicit ones, duplicates refused") {
  json doc = lab_md_sample();
  auto& paths = doc["clusters"][0]["comm_paths"];
  paths.push_back(paths[0]);
  paths[1]["localaddr"] = "10.201.8.25";
  paths.push_back(paths[0]);
  paths[2]["localaddr"] = "10.202.8.25";
  paths[2]["system"] = "GPLAYER2008";  // the same pair seen from its other end
  paths[2]["othersystem"] = "BENHOGAN2008";
  auto c = parse_scenario(doc.dump(), "x.json").clusters[0];
  CHECK(c.comm_paths[0].device == "TCPIP:1500");
  CHECK(c.comm_paths[1].device == "TCPIP:1510");
  CHECK(c.comm_paths[2].device == "TCPIP:1520");
  paths[0]["device"] = "TCPIP:1510";
  paths[0]["priority"] = 3;
  c = parse_scenario(doc.dump(), "x.json").clusters[0];
  CHECK(c.comm_paths[0].device == "TCPIP:1510");
  CHECK(c.comm_paths[0].priority == 3);
  CHECK(c.comm_paths[1].device == "TCPIP:1500");
  CHECK(c.comm_paths[2].device == "TCPIP:1520");
  paths[2]["device"] = "TCPIP:1510";
  CHECK(error_of(doc) ==
        "seed.json: $.clusters[0].comm_paths[2].device: device \"TCPIP:1510\" is already used "
        "between these systems by comm_paths[0]");
  paths[2]["device"] = "";
  CHECK_THAT(error_of(doc), Catch::StartsWith("seed.json: $.clusters[0].comm_paths[2].device: "));
  paths[2].erase("device");
  paths[2]["priority"] = 0;
  CHECK_THAT(error_of(doc), Catch::StartsWith("seed.json: $.clusters[0].comm_paths[2].priority: "));
}

TEST_CASE("the record-format options of a cluster, their defaults and their checks") {
  json doc = lab_md_sample();
  auto defaults = parse_scenario(doc.dump(), "x.json").clusters[0].formats;
  CHECK(defaults.net_list_layout == "other_first");
  CHECK(defaults.empty_list_rc == 7);
  CHECK(defaults.mirror_info_none == "status15");
  CHECK(defaults.jobinfo_endpoints == "line_per_tuple");
  CHECK(defaults.ins_list_fields == "extended");
  CHECK(defaults.volume_id == "colon");
  auto& c = doc["clusters"][0];
  c["net_list_layout"] = "status";
  c["empty_list_rc"] = 0;
  c["mirror_info_none"] = "empty";
  c["jobinfo_endpoints"] = "one_line";
  c["ins_list_fields"] = "seven";
  c["volume_id"] = "letter";
  auto f = parse_scenario(doc.dump(), "x.json").clusters[0].formats;
  CHECK(f.net_list_layout == "status");
  CHECK(f.empty_list_rc == 0);
  CHECK(f.mirror_info_none == "empty");
  CHECK(f.jobinfo_endpoints == "one_line");
  CHECK(f.ins_list_fields == "seven");
  CHECK(f.volume_id == "letter");
  c["empty_list_rc"] = 1;
  CHECK(error_of(doc) == "seed.json: $.clusters[0].empty_list_rc: expected 7 or 0");
  c["empty_list_rc"] = 7;
  c["net_list_layout"] = "Other_First";
  CHECK_THAT(error_of(doc),
             Catch::StartsWith("seed.json: $.clusters[0].net_list_layout: expected one of"));
}

TEST_CASE("resource and mirror states") {
  json doc = lab_md_sample();
  auto& vol = doc["clusters"][0]["hierarchies"][0]["resources"][1];
  vol["state"] = "OSF";
  vol["mirror"]["state"] = 4;
  auto r = parse_scenario(doc.dump(), "x.json").clusters[0].hierarchies[0].resources[1];
  CHECK(r.state == "OSF");
  CHECK(r.mirror->state == 4);
  vol["state"] = "IS-ISP";
  CHECK_THAT(error_of(doc), Catch::StartsWith("seed.json: $.clusters[0].hierarchies[0].resources[1]"
                                              ".state: expected one of \"ISP\""));
  vol["state"] = "ISP";
  vol["mirror"]["state"] = 6;
  CHECK_THAT(
      error_of(doc),
      Catch::StartsWith("seed.json: $.clusters[0].hierarchies[0].resources[1].mirror.state"));
}

TEST_CASE("a mirror extended to two nodes needs a comm path between every pair (E7)") {
  json doc = lab_md_sample();
  auto& c = doc["clusters"][0];
  c["nodes"].push_back({{"system", "TIGER"}, {"address", "127.10.0.3"}});
  c["hierarchies"][0]["extended_to"].push_back("TIGER");
  c["comm_paths"].push_back({{"system", "BENHOGAN2008"},
                             {"othersystem", "TIGER"},
                             {"localaddr", "10.200.8.25"},
                             {"remoteaddr", "10.200.8.27"}});
  CHECK(error_of(doc) ==
        "seed.json: $.clusters[0].hierarchies[0].resources[1].mirror: no comm path between "
        "\"GPLAYER2008\" and \"TIGER\" to derive the mirror endpoints from");
  c["comm_paths"].push_back({{"system", "TIGER"},
                             {"othersystem", "GPLAYER2008"},
                             {"localaddr", "10.200.8.27"},
                             {"remoteaddr", "10.200.8.26"}});
  CHECK(error_of(doc) == "(accepted)");
}
