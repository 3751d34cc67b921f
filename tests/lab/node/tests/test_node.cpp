#include "tests/lab/node/tests/test_node.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "tests/lab/node/node_ops.h"
#include "tests/lab/node/shell.h"
#include "tests/lab/node/terminal.h"

namespace lab::testing {

namespace {

std::map<std::string, std::string> windows_env(const std::string& system) {
  return {{"COMPUTERNAME", system},
          {"LKROOT", "C:\\LK"},
          {"LKBIN", "C:\\LK\\Bin"},
          {"ExtMirrBase", "C:\\Program Files\\SIOS\\DataKeeper"},
          {"SystemRoot", "C:\\Windows"},
          {"PATHEXT", ".COM;.EXE;.BAT;.CMD"},
          {"PATH", "C:\\Windows\\system32;C:\\Windows;C:\\LK\\Bin"}};
}

}  // namespace

NodeState benhogan(const std::string& cluster_dir) {
  NodeState s;
  s.system = "BENHOGAN2008";
  s.cluster = "sql-prod";
  s.cluster_dir = cluster_dir;
  s.address = "127.10.0.1";
  s.env = windows_env(s.system);
  Database& db = s.in_memory;
  db.systems = {"BENHOGAN2008", "GPLAYER2008"};
  db.comm_paths = {{"BENHOGAN2008", "GPLAYER2008", "10.200.8.25", "10.200.8.26", "DEAD", 1, "TCP",
                    "TCPIP:1500"}};
  db.resources = {{"LK1-BENHOGAN2K8", "comm", "ip", "10.200.8.100", "ISP"},
                  {"Vol.E", "filesys", "volume", "E", "ISP"}};
  db.equivalencies = {
      {"BENHOGAN2008", "LK1-BENHOGAN2K8", "GPLAYER2008", "LK1-BENHOGAN2K8", "SHARED", 1, 10},
      {"BENHOGAN2008", "Vol.E", "GPLAYER2008", "Vol.E", "SHARED", 1, 10}};
  s.on_disk = db;
  s.registry_jobs = {{"e829700c-27b0-447f-b852-1a3135da31a7",
                      "E Vol",
                      "",
                      {"BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A"}}};
  s.mirrors = {{"E",
                "source",
                "10.200.8.25",
                {"10.200.8.26"},
                false,
                3,
                "BENHOGAN2008",
                {"GPLAYER2008"},
                {3}}};
  s.dk_volumes = {"E"};
  return s;
}

NodeState gplayer(const std::string& cluster_dir) {
  NodeState s;
  s.system = "GPLAYER2008";
  s.cluster = "sql-prod";
  s.cluster_dir = cluster_dir;
  s.address = "127.10.0.2";
  s.reinstalled = true;
  s.env = windows_env(s.system);
  s.in_memory.systems = {"GPLAYER2008"};
  s.on_disk = s.in_memory;
  return s;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/lab-node-test-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string make_node(const TempDir& dir, const std::string& name, const NodeState& s) {
  std::string node_dir = dir.path() + "/" + name;
  create_node(node_dir, s);
  if (s.mirrors.empty()) return node_dir;
  std::string file = node_dir + "/C/LK/subsys/filesys/resources/volume/LKDRInfo.E";
  std::ofstream(file, std::ios::binary) << std::string(37, 'x') << "\r\n";
  std::tm when{};
  when.tm_year = 2012 - 1900;
  when.tm_mon = 4;
  when.tm_mday = 23;
  when.tm_hour = 13;
  when.tm_min = 2;
  when.tm_isdst = -1;
  std::time_t t = std::mktime(&when);
  struct timespec times[2] = {{t, 0}, {t, 0}};
  ::utimensat(AT_FDCWD, file.c_str(), times, 0);
  return node_dir;
}

RunResult run(const std::string& node_dir, const std::string& line, const std::string& input) {
  StringTerminal t(input);
  RunResult r;
  r.rc = run_command_line(node_dir, line, t);
  r.out = t.out;
  r.err = t.err;
  return r;
}

std::string lf(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != '\r') out += c;
  return out;
}

}  // namespace lab::testing
