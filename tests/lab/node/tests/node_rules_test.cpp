// LAB.md "Behaviour that must hold": lcdsync persistence, the cluster window, faults,
// the journal, and concurrent commands on one node.
#include <catch2/catch.hpp>
#include <thread>

#include "tests/lab/node/cluster_window.h"
#include "tests/lab/node/node_ops.h"
#include "tests/lab/node/terminal.h"
#include "tests/lab/node/tests/test_node.h"

using namespace lab::testing;
using nlohmann::json;

namespace {

const std::string kRemoveEqvs =
    "eqv_remove -t LK1-BENHOGAN2K8 -S GPLAYER2008 -o LK1-BENHOGAN2K8 && "
    "eqv_remove -t Vol.E -S GPLAYER2008 -o Vol.E";

}  // namespace

TEST_CASE("changes live in memory until lcdsync; a restart loses them", "[rules]") {
  TempDir dir;
  std::string node = make_node(dir, "ben", benhogan(dir.path() + "/cluster"));
  REQUIRE(run(node, kRemoveEqvs).rc == 0);
  json d = lab::dump_node(node);
  CHECK(d["in_memory"]["equivalencies"].empty());
  CHECK(d["on_disk"]["equivalencies"].size() == 2);
  lab::restart_node(node);
  CHECK(run(node, "eqv_list").out.size() > 0);  // back from disk

  REQUIRE(run(node, kRemoveEqvs + " && lcdsync").rc == 0);
  lab::restart_node(node);
  CHECK(run(node, "eqv_list").out.empty());
  CHECK(lab::dump_node(node)["on_disk"]["equivalencies"].empty());
}

TEST_CASE("two nodes of a cluster inside their window at once: a violation on both", "[rules]") {
  TempDir dir;
  std::string cluster = dir.path() + "/cluster";
  auto third = benhogan(cluster);
  third.system = "TIGER2008";
  third.env["COMPUTERNAME"] = "TIGER2008";
  third.in_memory.systems = {"TIGER2008", "GPLAYER2008"};
  third.in_memory.equivalencies.clear();
  third.in_memory.comm_paths = {
      {"TIGER2008", "GPLAYER2008", "10.200.8.27", "10.200.8.26", "DEAD", 1, "TCP"}};
  std::string ben = make_node(dir, "ben", benhogan(cluster));
  std::string tiger = make_node(dir, "tiger", third);

  REQUIRE(run(ben, kRemoveEqvs + " && sys_remove -s GPLAYER2008").rc == 0);
  CHECK(lab::systems_in_window(cluster) == std::vector<std::string>{"BENHOGAN2008"});
  // A second removal by the same node opens nothing new.
  REQUIRE(run(ben, "net_remove -d BENHOGAN2008 -s GPLAYER2008 -D TCPIP:1500").rc == 0);
  CHECK(lab::dump_node(ben)["violations"].empty());

  REQUIRE(run(tiger, "sys_remove -s GPLAYER2008").rc == 0);
  json vb = lab::dump_node(ben)["violations"], vt = lab::dump_node(tiger)["violations"];
  REQUIRE(vb.size() == 1);
  REQUIRE(vt.size() == 1);
  CHECK(vb[0]["kind"] == "cluster_window_overlap");
  CHECK(vb[0]["other"] == "TIGER2008");
  CHECK(vt[0]["other"] == "BENHOGAN2008");
  CHECK(vt[0]["command_line"] == "sys_remove -s GPLAYER2008");

  // lcdsync closes a window; the next node then works alone.
  REQUIRE(run(ben, "lcdsync").rc == 0);
  REQUIRE(run(tiger, "lcdsync").rc == 0);
  CHECK(lab::systems_in_window(cluster).empty());
  REQUIRE(run(tiger, "net_remove -s GPLAYER2008 -D TCPIP:1500 -l 10.200.8.27").rc == 0);
  CHECK(lab::dump_node(tiger)["violations"].size() == 1);
}

TEST_CASE("the journal records each command with its argv and rc", "[rules]") {
  TempDir dir;
  std::string node = make_node(dir, "ben", benhogan(dir.path() + "/cluster"));
  std::string line = "cd C:\\LK\\Bin && \"eqv_list.exe\" -f \"|\" & nothing";
  run(node, line);
  json j = lab::dump_node(node)["journal"];
  REQUIRE(j.size() == 3);
  CHECK(j[1]["command_line"] == line);
  CHECK(j[1]["argv"] == json::array({"eqv_list.exe", "-f", "|"}));
  CHECK(j[1]["rc"] == 0);
  CHECK(j[2]["rc"] == 9009);
  std::string start = j[0]["start"];
  CHECK(start.size() == 24);
  CHECK(start.back() == 'Z');
  CHECK(start[10] == 'T');
}

TEST_CASE("faults: fail, times, match", "[faults]") {
  TempDir dir;
  std::string node = make_node(dir, "ben", benhogan(dir.path() + "/cluster"));
  lab::Fault f;
  f.command = "lcdsync";
  f.kind = "fail";
  f.rc = 7;
  f.message = "LCD busy";
  f.times = 1;
  lab::arm_fault(node, f);
  REQUIRE(run(node, kRemoveEqvs).rc == 0);
  auto r = run(node, "C:\\LK\\Bin\\LCDSYNC.EXE");
  CHECK(r.rc == 7);
  CHECK(r.err == "LCD busy\r\n");
  CHECK(lab::dump_node(node)["on_disk"]["equivalencies"].size() == 2);  // no effect
  CHECK(lab::dump_node(node)["faults"].empty());                        // used up
  CHECK(run(node, "lcdsync").rc == 0);

  lab::Fault m;
  m.command = "*";
  m.match = "Vol.E";
  m.kind = "fail";
  m.rc = 3;
  lab::arm_fault(node, m);
  CHECK(run(node, "ins_list -t LK1-BENHOGAN2K8").rc == 0);
  CHECK(run(node, "ins_list -t Vol.E").rc == 3);
  CHECK(run(node, "ins_list -t Vol.E").rc == 3);  // times -1: forever
  lab::clear_faults(node);
  CHECK(run(node, "ins_list -t Vol.E").rc == 0);
}

TEST_CASE("faults: garbage, hang, drop", "[faults]") {
  TempDir dir;
  std::string node = make_node(dir, "ben", benhogan(dir.path() + "/cluster"));
  lab::Fault g;
  g.command = "eqv_list";
  g.kind = "garbage";
  g.times = 2;
  lab::arm_fault(node, g);
  auto a = run(node, "eqv_list");
  auto b = run(node, "eqv_list");
  CHECK(a.rc == 0);
  CHECK(a.out == b.out);  // deterministic
  CHECK(a.out.find('\0') != std::string::npos);
  CHECK(a.out.find("\x81\n") != std::string::npos);
  CHECK(a.out.find("BENHOGAN2008") == std::string::npos);

  // Behind the junk the command's effect happens, unless apply is false.
  lab::Fault ga;
  ga.command = "eqv_remove";
  ga.kind = "garbage";
  ga.times = 1;
  lab::arm_fault(node, ga);
  CHECK(run(node, "eqv_remove -t Vol.E -S GPLAYER2008 -o Vol.E").rc == 0);
  CHECK(lab::dump_node(node)["in_memory"]["equivalencies"].size() == 1);
  ga.apply = false;
  lab::arm_fault(node, ga);
  CHECK(run(node, "eqv_remove -t LK1-BENHOGAN2K8 -o LK1-BENHOGAN2K8").rc == 0);
  CHECK(lab::dump_node(node)["in_memory"]["equivalencies"].size() == 1);
  CHECK(run(node, "eqv_remove -t LK1-BENHOGAN2K8 -o LK1-BENHOGAN2K8").rc == 0);
  CHECK(lab::dump_node(node)["in_memory"]["equivalencies"].empty());

  lab::Fault h;
  h.command = "sys_list";
  h.kind = "hang";
  lab::arm_fault(node, h);
  CHECK_THROWS_AS(run(node, "sys_list"), lab::ClientHungUp);
  lab::clear_faults(node);

  lab::restart_node(node);  // both equivalencies back from disk
  lab::Fault d;
  d.command = "eqv_remove";
  d.kind = "drop";
  lab::arm_fault(node, d);
  CHECK_THROWS_AS(run(node, "eqv_remove -t Vol.E -S GPLAYER2008 -o Vol.E"), lab::ConnectionDropped);
  CHECK(lab::dump_node(node)["in_memory"]["equivalencies"].size() == 1);  // the effect happened
  d.apply = false;
  lab::clear_faults(node);
  lab::arm_fault(node, d);
  CHECK_THROWS_AS(run(node, "eqv_remove -t LK1-BENHOGAN2K8 -o LK1-BENHOGAN2K8"),
                  lab::ConnectionDropped);
  CHECK(lab::dump_node(node)["in_memory"]["equivalencies"].size() == 1);  // and now it did not
}

TEST_CASE("concurrent commands on one node lose no update", "[rules]") {
  TempDir dir;
  std::string node = make_node(dir, "ben", benhogan(dir.path() + "/cluster"));
  const std::string key =
      "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\"
      "00000000-0000-0000-0000-00000000000";
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] { run(node, "reg add " + key + std::to_string(i) + " /f"); });
  for (auto& t : threads) t.join();
  CHECK(lab::dump_node(node)["registry_jobs"].size() == 9);
  CHECK(lab::dump_node(node)["journal"].size() == 8);
}
