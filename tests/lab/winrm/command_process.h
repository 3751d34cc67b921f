// One WinRS command on the lab node: lab-cmd (the node's cmd.exe emulator) started
// exactly as the node's sshd starts it (ForceCommand `lab-cmd --node NODE_DIR`, the
// command line in $SSH_ORIGINAL_COMMAND), its stdout and stderr collected as they come.
// Plus one pipe sshd has no need of: on it lab-cmd's "drop" fault (LAB.md: the
// connection is dropped in the middle) asks the endpoint to cut the client's connection.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace lab::winrm {

class CommandProcess {
 public:
  // `codepage`: the shell's WINRS_CODEPAGE (0: none given, the node's own).
  CommandProcess(const std::string& lab_cmd, const std::string& node_dir,
                 const std::string& command_line, int codepage);
  ~CommandProcess();  // kills the process group if still running, joins the reader
  CommandProcess(const CommandProcess&) = delete;
  CommandProcess& operator=(const CommandProcess&) = delete;

  struct Chunk {
    std::string out, err;
    bool done = false;  // exited and everything it wrote is in this or earlier chunks
    int exit_code = -1;
    bool dropped = false;  // the "drop" fault fired: the client's connection must be cut
  };
  // Waits until the command exited or `wait` passed, then takes at most `max_bytes` of
  // its output. `available` is false when nothing new was there (still running, silent).
  Chunk take(std::chrono::milliseconds wait, size_t max_bytes, bool& available);
  // Signal terminate: the whole process group is killed.
  void terminate();

 private:
  void read_until_exit(int out_fd, int err_fd, int drop_fd);

  int pid_ = -1;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string out_, err_;
  bool exited_ = false;
  int exit_code_ = -1;
  bool dropped_ = false;
  std::thread reader_;
};

}  // namespace lab::winrm
