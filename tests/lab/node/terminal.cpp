#include "tests/lab/node/terminal.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

namespace lab {
namespace {

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the client is gone; nothing left to tell it
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

int parent_of(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content;
  std::getline(stat, content);
  size_t close = content.rfind(')');  // the command name may hold spaces and parentheses
  if (close == std::string::npos) return 0;
  char state = 0;
  int ppid = 0;
  if (std::sscanf(content.c_str() + close + 1, " %c %d", &state, &ppid) != 2) return 0;
  return ppid;
}

int listener_pid(const std::string& node_dir) {
  std::ifstream in(node_dir + "/sshd.pid");
  int pid = 0;
  in >> pid;
  return pid;
}

}  // namespace

void FdTerminal::write_out(std::string_view bytes) { write_all(1, bytes); }
void FdTerminal::write_err(std::string_view bytes) { write_all(2, bytes); }

std::optional<std::string> FdTerminal::read_line() {
  std::string line;
  char c;
  for (;;) {
    ssize_t n = ::read(0, &c, 1);  // unbuffered: the rest of stdin is not ours to consume
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return line.empty() ? std::nullopt : std::optional<std::string>(line);
    if (c == '\n') break;
    line += c;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Kills the per-connection sshd: the ancestor of this process whose parent is the
// listening sshd (its pid is in node_dir/sshd.pid). The client sees the TCP connection
// close without an exit status, as when a Windows host drops off the network.
// Under the node's WinRM endpoint there is no sshd of the connection: lab-winrm gives
// lab-cmd a pipe (its number in $LAB_WINRM_DROP_FD) on which "drop" has it close the
// client's connection in the middle of the Receive waiting for this command.
void FdTerminal::drop_connection() {
  if (const char* fd_text = std::getenv("LAB_WINRM_DROP_FD")) {
    int fd = std::atoi(fd_text);
    if (fd > 2) {
      write_all(fd, "drop\n");
      ::_exit(255);
    }
  }
  int listener = listener_pid(node_dir_);
  int pid = ::getpid();
  for (int hops = 0; hops < 64 && pid > 1; ++hops) {
    int parent = parent_of(pid);
    if (parent == listener && listener > 1) {
      ::kill(pid, SIGKILL);
      break;
    }
    pid = parent;
  }
  ::_exit(255);  // no listener found (not under the lab's sshd): end the channel at least
}

// Waits for the client to go away without using the CPU: the channel's stdout reports
// POLLERR/POLLHUP once sshd closes it. Gives up after one hour.
void FdTerminal::hang_until_client_leaves() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::hours(1);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) break;
    struct pollfd p = {1, 0, 0};
    int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 60'000)));
    if (r < 0 && errno != EINTR) break;
    if (r > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL))) break;
  }
  ::_exit(255);
}

std::optional<std::string> StringTerminal::read_line() {
  if (read_pos_ >= input_.size()) return std::nullopt;
  size_t nl = input_.find('\n', read_pos_);
  std::string line =
      input_.substr(read_pos_, nl == std::string::npos ? std::string::npos : nl - read_pos_);
  read_pos_ = nl == std::string::npos ? input_.size() : nl + 1;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace lab
