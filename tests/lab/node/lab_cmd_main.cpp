// lab-cmd: the ForceCommand of a simulated node's sshd.
//   lab-cmd --node NODE_DIR
// runs $SSH_ORIGINAL_COMMAND (the client's command line) through the node's cmd.exe
// emulator; stdin/stdout/stderr are the SSH channel. Without a command (an interactive
// login) it answers as a one-shot cmd would not: nothing to run, exit 0.
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "tests/lab/node/shell.h"

int main(int argc, char** argv) {
  std::string node_dir;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--node") == 0) node_dir = argv[i + 1];
  if (node_dir.empty()) {
    std::cerr << "usage: lab-cmd --node NODE_DIR   (command line in $SSH_ORIGINAL_COMMAND)\n";
    return 2;
  }
  const char* line = std::getenv("SSH_ORIGINAL_COMMAND");
  // Set by the node's WinRM endpoint (lab-winrm): the shell's code page, or "node".
  lab::LineOptions options;
  if (const char* winrs = std::getenv("LAB_WINRS_CODEPAGE")) {
    options.winrs = true;
    options.codepage = std::atoi(winrs);
  }
  try {
    lab::FdTerminal terminal(node_dir);
    return lab::run_command_line(node_dir, line ? line : "", terminal, options);
  } catch (const std::exception& e) {
    std::cerr << "lab-cmd: " << e.what() << "\n";
    return 1;
  }
}
