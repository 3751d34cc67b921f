// The lab's cmd.exe emulator as the differential tests use it: a node folder (the lab's
// own create_node) and lab::run_command_line, the entry lab-cmd calls for every SSH
// command, minus sshd.
#pragma once

#include <string>
#include <vector>

#include "tests/lab/node/node_state.h"

namespace wine {

struct EmulatorResult {
  int rc = 0;
  std::string out, err;
  std::vector<std::string> argv;  // the program's argv from the node's journal (the last)
  bool program_ran = false;       // a journal entry with an argv was written
  // Every journal entry's argv, in order (built-ins too): a batch line runs several.
  std::vector<std::vector<std::string>> argvs;
};

class EmulatorNode {
 public:
  // A node (the lab's standard drive C: and environment) in a fresh temporary folder,
  // with DataKeeper installed under `extmirrbase`.
  EmulatorNode(int codepage, const std::string& extmirrbase);
  ~EmulatorNode();
  EmulatorNode(const EmulatorNode&) = delete;
  EmulatorNode& operator=(const EmulatorNode&) = delete;

  EmulatorResult run(const std::string& line);
  const std::string& dir() const { return node_dir_; }
  std::string host_path(const std::string& windows_path) const;

 private:
  std::string root_, node_dir_;
};

}  // namespace wine
