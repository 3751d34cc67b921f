#include "tests/wine/emulator_node.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "tests/lab/node/node_ops.h"
#include "tests/lab/node/shell.h"
#include "tests/lab/node/terminal.h"

namespace wine {

EmulatorNode::EmulatorNode(int codepage, const std::string& extmirrbase) {
  char tmpl[] = "/tmp/lkr-wine-emu-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  root_ = tmpl;
  node_dir_ = root_ + "/node";
  lab::NodeState s;
  s.system = "WINECHECK";
  s.cluster = "conformance";
  s.cluster_dir = root_ + "/cluster";
  std::filesystem::create_directories(s.cluster_dir);
  s.address = "127.0.0.1";
  s.codepage = codepage;
  s.extmirrbase = extmirrbase;
  s.env = {{"COMPUTERNAME", s.system},
           {"LKROOT", s.lkroot},
           {"ExtMirrBase", extmirrbase},
           {"SystemRoot", "C:\\Windows"},
           {"PATHEXT", ".COM;.EXE;.BAT;.CMD"},
           {"PATH", "C:\\Windows\\system32;C:\\Windows;C:\\LK\\Bin"}};
  s.in_memory.systems = {s.system};
  s.on_disk = s.in_memory;
  lab::create_node(node_dir_, s);
}

EmulatorNode::~EmulatorNode() {
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

std::string EmulatorNode::host_path(const std::string& windows_path) const {
  auto p = lab::host_path(node_dir_, windows_path);
  if (!p) throw std::invalid_argument("not a path on the node's C: " + windows_path);
  return *p;
}

EmulatorResult EmulatorNode::run(const std::string& line) {
  std::string journal = node_dir_ + "/journal.jsonl";
  std::ofstream(journal, std::ios::trunc).close();
  lab::StringTerminal t;
  EmulatorResult r;
  r.rc = lab::run_command_line(node_dir_, line, t);
  r.out = t.out;
  r.err = t.err;
  std::ifstream in(journal);
  std::string entry;
  while (std::getline(in, entry)) {
    if (entry.empty()) continue;
    auto j = nlohmann::json::parse(entry);
    if (j.contains("argv") && !j["argv"].empty()) {
      r.argv = j["argv"].get<std::vector<std::string>>();
      r.argvs.push_back(r.argv);
      r.program_ran = true;
    }
  }
  return r;
}

}  // namespace wine
