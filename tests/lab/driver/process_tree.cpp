#include "tests/lab/driver/process_tree.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

namespace lab {
namespace {

// The whole of a /proc file, "" when it cannot be read. Plain read(2): the process may
// exit while we read, and libstdc++'s filebuf turns that read error (ESRCH) into an
// exception, which once made `lab down` stop half way and leave a lab running.
std::string read_proc_file(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

// Fields of /proc/PID/stat after the command name (which may hold spaces and ')').
bool read_stat(int pid, char& state, int& ppid) {
  std::string line = read_proc_file("/proc/" + std::to_string(pid) + "/stat");
  if (line.empty()) return false;
  auto close_paren = line.rfind(')');
  if (close_paren == std::string::npos) return false;
  std::istringstream rest(line.substr(close_paren + 1));
  return static_cast<bool>(rest >> state >> ppid);
}

std::map<int, int> parent_table() {
  std::map<int, int> parent;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    char state = 0;
    int ppid = 0;
    if (read_stat(std::stoi(name), state, ppid)) parent[std::stoi(name)] = ppid;
  }
  return parent;
}

// Reaps `pid` if it happens to be our own child, so it does not linger as a zombie.
void reap_if_child(int pid) { waitpid(pid, nullptr, WNOHANG); }

bool wait_all_gone(const std::vector<int>& pids, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    bool any = false;
    for (int pid : pids) {
      reap_if_child(pid);
      any = any || process_alive(pid);
    }
    if (!any) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(
        std::chrono::milliseconds(10));  // polling /proc: no event to wait on
  }
}

}  // namespace

bool process_alive(int pid) {
  char state = 0;
  int ppid = 0;
  return pid > 0 && read_stat(pid, state, ppid) && state != 'Z' && state != 'X';
}

std::string process_cmdline(int pid) {
  std::string s = read_proc_file("/proc/" + std::to_string(pid) + "/cmdline");
  for (char& c : s)
    if (c == '\0') c = ' ';
  return s;
}

std::vector<int> descendants_of(const std::vector<int>& roots) {
  std::multimap<int, int> children;
  for (const auto& [pid, ppid] : parent_table()) children.emplace(ppid, pid);
  std::vector<int> found = roots;
  for (size_t i = 0; i < found.size(); ++i) {
    auto [first, last] = children.equal_range(found[i]);
    for (auto it = first; it != last; ++it) found.push_back(it->second);
  }
  found.erase(found.begin(), found.begin() + static_cast<long>(roots.size()));
  return found;
}

int stop_processes(const std::vector<int>& pids, std::chrono::milliseconds grace) {
  int alive = 0;
  for (int pid : pids) {
    if (!process_alive(pid)) continue;
    ++alive;
    kill(pid, SIGTERM);
  }
  if (alive == 0 || wait_all_gone(pids, grace)) return alive;
  for (int pid : pids)
    if (process_alive(pid)) kill(pid, SIGKILL);
  wait_all_gone(pids, std::chrono::seconds(5));
  return alive;
}

}  // namespace lab
