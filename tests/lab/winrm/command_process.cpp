#include "tests/lab/winrm/command_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace lab::winrm {
namespace {

// The descriptor lab-cmd finds the drop pipe on ($LAB_WINRM_DROP_FD).
constexpr int kDropFd = 3;

}  // namespace

CommandProcess::CommandProcess(const std::string& lab_cmd, const std::string& node_dir,
                               const std::string& command_line, int codepage) {
  int out[2], err[2], drop[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    throw std::runtime_error("pipe failed");
  }
  if (pipe2(drop, O_CLOEXEC) != 0) {
    for (int fd : {out[0], out[1], err[0], err[1]}) close(fd);
    throw std::runtime_error("pipe failed");
  }
  // Everything the child needs is prepared before fork (the server is multi-threaded).
  std::string env_line = "SSH_ORIGINAL_COMMAND=" + command_line;
  std::string drop_line = "LAB_WINRM_DROP_FD=" + std::to_string(kDropFd);
  // Tells lab-cmd it runs under WinRS: cmd.exe whatever OpenSSH's DefaultShell says, with
  // the shell's code page as its console code page (lab_cmd_main.cpp).
  std::string codepage_line =
      "LAB_WINRS_CODEPAGE=" + (codepage > 0 ? std::to_string(codepage) : std::string("node"));
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "SSH_ORIGINAL_COMMAND=", 21) != 0 &&
        std::strncmp(*e, "LAB_WINRM_DROP_FD=", 18) != 0 &&
        std::strncmp(*e, "LAB_WINRS_CODEPAGE=", 19) != 0)
      envp.push_back(*e);
  envp.push_back(env_line.data());
  envp.push_back(drop_line.data());
  envp.push_back(codepage_line.data());
  envp.push_back(nullptr);
  std::string node_flag = "--node";
  std::vector<char*> argv{const_cast<char*>(lab_cmd.c_str()), node_flag.data(),
                          const_cast<char*>(node_dir.c_str()), nullptr};
  // posix_spawn (vfork-like) instead of fork: copying the server's page tables for every
  // command was most of the lab's own per-command cost (perf).
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  if (drop[1] == kDropFd) {  // dup2 onto itself would leave it close-on-exec
    int moved = fcntl(drop[1], F_DUPFD_CLOEXEC, kDropFd + 1);
    close(drop[1]);
    drop[1] = moved;
  }
  posix_spawn_file_actions_adddup2(&actions, drop[1], kDropFd);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group: terminate() kills what it starts
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  int rc = posix_spawn(&pid_, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    for (int fd : {out[0], out[1], err[0], err[1], drop[0], drop[1]}) close(fd);
    throw std::runtime_error(std::string("cannot start ") + lab_cmd + ": " + std::strerror(rc));
  }
  close(out[1]);
  close(err[1]);
  close(drop[1]);
  reader_ = std::thread([this, o = out[0], e = err[0], d = drop[0]] { read_until_exit(o, e, d); });
}

CommandProcess::~CommandProcess() {
  terminate();
  if (reader_.joinable()) reader_.join();
}

void CommandProcess::read_until_exit(int out_fd, int err_fd, int drop_fd) {
  pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {drop_fd, POLLIN, 0}};
  int open_fds = 3;
  char buf[65536];
  while (open_fds > 0) {
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 3; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      std::lock_guard<std::mutex> lock(mu_);
      if (i == 2)
        dropped_ = true;  // lab-cmd's "drop": it exits right after
      else
        (i == 0 ? out_ : err_).append(buf, static_cast<size_t>(n));
      cv_.notify_all();
    }
  }
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  std::lock_guard<std::mutex> lock(mu_);
  exited_ = true;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  cv_.notify_all();
}

CommandProcess::Chunk CommandProcess::take(std::chrono::milliseconds wait, size_t max_bytes,
                                           bool& available) {
  std::unique_lock<std::mutex> lock(mu_);
  // Like Windows, hold the Receive until the command ends (or the wait is over), so a
  // short command is one Receive.
  cv_.wait_for(lock, wait, [&] { return exited_; });
  Chunk c;
  size_t n_out = std::min(out_.size(), max_bytes);
  c.out = out_.substr(0, n_out);
  out_.erase(0, n_out);
  size_t n_err = std::min(err_.size(), max_bytes - n_out);
  c.err = err_.substr(0, n_err);
  err_.erase(0, n_err);
  c.done = exited_ && out_.empty() && err_.empty();
  c.exit_code = c.done ? exit_code_ : -1;
  // Once lab-cmd has gone, a dropped command's Receive gets no reply at all.
  c.dropped = exited_ && dropped_;
  available = c.done || c.dropped || !c.out.empty() || !c.err.empty();
  return c;
}

void CommandProcess::terminate() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!exited_ && pid_ > 0) kill(-pid_, SIGKILL);
}

}  // namespace lab::winrm
