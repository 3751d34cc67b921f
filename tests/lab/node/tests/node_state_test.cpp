#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/lab/node/node_ops.h"
#include "tests/lab/node/tests/test_node.h"

using namespace lab::testing;

TEST_CASE("node.json round trip", "[state]") {
  TempDir dir;
  auto s = benhogan(dir.path() + "/cluster");
  s.faults.push_back({"lcdsync", "", "fail", 1, "LCD busy", 0, true, 1});
  s.formats.net_list_layout = "status";
  s.formats.empty_list_rc = 0;
  s.formats.volume_id = "letter";
  s.in_memory.comm_paths[0].device = "TCPIP:1510";
  std::string node = make_node(dir, "ben", s);
  lab::NodeState back;
  {
    lab::NodeLock lock(node);
    back = lab::load_node(node);
  }
  CHECK(back.in_memory == s.in_memory);
  CHECK(back.env == s.env);
  CHECK(back.faults.size() == 1);
  CHECK(back.faults[0].message == "LCD busy");
  CHECK(back.registry_jobs[0].endpoints == s.registry_jobs[0].endpoints);
  CHECK(back.formats == s.formats);
  CHECK(back.in_memory.comm_paths[0].device == "TCPIP:1510");
  CHECK(back.mirrors[0].target_systems == std::vector<std::string>{"GPLAYER2008"});
  CHECK(back.mirrors[0].target_states == std::vector<int>{3});
  CHECK(back.mirrors[0].source_system == "BENHOGAN2008");
}

TEST_CASE("host_path maps C: case-insensitively", "[state]") {
  TempDir dir;
  std::string node = make_node(dir, "ben", benhogan(dir.path() + "/cluster"));
  CHECK(lab::host_path(node, "c:\\lk\\SUBSYS\\filesys\\resources\\VOLUME\\lkdrinfo.e") ==
        node + "/C/LK/subsys/filesys/resources/volume/LKDRInfo.E");
  CHECK(lab::host_path(node, "C:\\LK\\new.txt") == node + "/C/LK/new.txt");
  CHECK(lab::host_path(node, "C:\\LK\\..\\..\\..\\etc") == node + "/C/etc");  // never above C:
  CHECK_FALSE(lab::host_path(node, "D:\\x"));
}

TEST_CASE("dump lists LAB.md's fields and the files of C:", "[state]") {
  TempDir dir;
  std::string node = make_node(dir, "ben", benhogan(dir.path() + "/cluster"));
  auto d = lab::dump_node(node);
  for (const char* field : {"system", "on_disk", "in_memory", "registry_jobs", "mirrors", "files",
                            "journal", "violations"})
    CHECK(d.contains(field));
  CHECK(d["files"] ==
        nlohmann::json::array({"C:\\LK\\subsys\\filesys\\resources\\volume\\LKDRInfo.E"}));
  CHECK(d["mirrors"][0]["targets"] == nlohmann::json::array({"10.200.8.26"}));
  CHECK(d["in_memory"]["equivalencies"][0]["otherpriority"] == 10);
  CHECK(d["in_memory"]["comm_paths"][0]["localaddr"] == "10.200.8.25");
  // Fields the dump gained: the comm path's device, the mirror's systems, the formats.
  CHECK(d["in_memory"]["comm_paths"][0]["device"] == "TCPIP:1500");
  CHECK(d["mirrors"][0]["target_systems"] == nlohmann::json::array({"GPLAYER2008"}));
  CHECK(d["mirrors"][0]["role"] == "source");
  CHECK(d["formats"]["empty_list_rc"] == 7);
  CHECK(d["registry_jobs"][0]["endpoints"].size() == 1);
}
