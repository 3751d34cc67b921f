#include "tests/lab/driver/process_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace lab {
namespace {

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Reads from both pipes (and feeds stdin) until the child closes them or time runs out.
bool pump(int out_fd, int err_fd, int in_fd, const std::string& input, ProcessResult& r,
          int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  size_t written = 0;
  int fds[3] = {out_fd, err_fd, in_fd};
  while (fds[0] >= 0 || fds[1] >= 0) {
    pollfd p[3];
    int n = 0;
    for (int i = 0; i < 3; ++i)
      if (fds[i] >= 0) p[n++] = {fds[i], static_cast<short>(i == 2 ? POLLOUT : POLLIN), 0};
    int wait = -1;
    if (timeout_ms >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      wait = static_cast<int>(left.count());
    }
    if (poll(p, n, wait) < 0 && errno != EINTR) throw std::runtime_error("poll failed");
    for (int i = 0; i < n; ++i) {
      if (!p[i].revents) continue;
      int which = p[i].fd == fds[0] ? 0 : p[i].fd == fds[1] ? 1 : 2;
      if (which == 2) {
        ssize_t w = write(fds[2], input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 || written == input.size()) {
          close(fds[2]);
          fds[2] = -1;
        }
        continue;
      }
      char buf[65536];
      ssize_t got = read(fds[which], buf, sizeof buf);
      if (got > 0) {
        (which == 0 ? r.out : r.err).append(buf, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[which]);
        fds[which] = -1;
      }
    }
  }
  if (fds[2] >= 0) close(fds[2]);
  return true;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, int timeout_ms,
                          const std::string& input) {
  int out[2], err[2], in[2];
  if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(in, O_CLOEXEC))
    throw std::runtime_error("pipe failed");
  auto args = c_argv(argv);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    execvp(args[0], args.data());
    dprintf(2, "cannot run %s: %s\n", args[0], strerror(errno));
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  close(in[0]);
  if (input.empty()) {
    close(in[1]);
    in[1] = -1;
  }
  ProcessResult r;
  signal(SIGPIPE, SIG_IGN);
  if (!pump(out[0], err[0], in[1], input, r, timeout_ms)) {
    r.timed_out = true;
    kill(pid, SIGKILL);
    close(out[0]);
    close(err[0]);
    if (in[1] >= 0) close(in[1]);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.rc = decode_status(status);
  return r;
}

int spawn_detached(const std::vector<std::string>& argv, const std::string& stderr_path) {
  auto args = c_argv(argv);
  int err_fd = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (err_fd < 0) throw std::runtime_error("cannot open " + stderr_path);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    setsid();
    int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(err_fd, 2);
    // A daemon outlives its caller: it must not hold the caller's other descriptors (a
    // test runner's output pipe, a lock), or whoever waits on those waits for the lab.
    close_range(3, ~0U, 0);
    signal(SIGPIPE, SIG_DFL);
    execvp(args[0], args.data());
    dprintf(2, "cannot run %s: %s\n", args[0], strerror(errno));
    _exit(127);
  }
  close(err_fd);
  return pid;
}

}  // namespace lab
