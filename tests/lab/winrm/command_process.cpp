#include "tests/lab/winrm/command_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace lab::winrm {

CommandProcess::CommandProcess(const std::string& lab_cmd, const std::string& node_dir,
                               const std::string& command_line) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    throw std::runtime_error("pipe failed");
  }
  // Everything the child needs is prepared before fork (the server is multi-threaded).
  std::string env_line = "SSH_ORIGINAL_COMMAND=" + command_line;
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "SSH_ORIGINAL_COMMAND=", 21) != 0) envp.push_back(*e);
  envp.push_back(env_line.data());
  envp.push_back(nullptr);
  std::string node_flag = "--node";
  std::vector<char*> argv{const_cast<char*>(lab_cmd.c_str()), node_flag.data(),
                          const_cast<char*>(node_dir.c_str()), nullptr};
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    setpgid(0, 0);
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    signal(SIGPIPE, SIG_DFL);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  setpgid(pid_, pid_);  // also from here: no race with terminate()
  close(out[1]);
  close(err[1]);
  reader_ = std::thread([this, o = out[0], e = err[0]] { read_until_exit(o, e); });
}

CommandProcess::~CommandProcess() {
  terminate();
  if (reader_.joinable()) reader_.join();
}

void CommandProcess::read_until_exit(int out_fd, int err_fd) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
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
  available = c.done || !c.out.empty() || !c.err.empty();
  return c;
}

void CommandProcess::terminate() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!exited_ && pid_ > 0) kill(-pid_, SIGKILL);
}

}  // namespace lab::winrm
