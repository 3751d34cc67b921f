#include "tests/lab/driver/delay_proxy_setup.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/lab/driver/process_tree.h"

namespace fs = std::filesystem;

namespace lab {

std::string find_lab_delay_proxy() {
  std::string path = getenv("LAB_DELAY_PROXY") ? getenv("LAB_DELAY_PROXY") : "";
  if (path.empty())
    path = (fs::read_symlink("/proc/self/exe").parent_path() / "lab-delay-proxy").string();
  if (access(path.c_str(), X_OK) != 0)
    throw std::runtime_error("the delay proxy " + path +
                             " is missing; build the lab-delay-proxy target (or set "
                             "$LAB_DELAY_PROXY)");
  return fs::canonical(path).string();
}

std::string delay_proxy_routes_path(const std::string& state_dir) {
  return state_dir + "/delay_proxy.routes";
}

std::string delay_proxy_ready_path(const std::string& state_dir) {
  return state_dir + "/delay_proxy.ready";
}

std::string delay_proxy_stderr_path(const std::string& state_dir) {
  return state_dir + "/delay_proxy.stderr";
}

void write_delay_proxy_routes(const std::string& state_dir,
                              const std::vector<delay_proxy::Route>& routes) {
  std::string path = delay_proxy_routes_path(state_dir);
  std::ofstream out(path, std::ios::trunc);
  out << "# Written by `lab up`: listen address, port -> the node's own listener.\n"
      << delay_proxy::routes_text(routes);
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::vector<std::string> delay_proxy_argv(const std::string& binary, const std::string& state_dir,
                                          int rtt_ms) {
  return {binary,
          "--rtt-ms",
          std::to_string(rtt_ms),
          "--routes",
          delay_proxy_routes_path(state_dir),
          "--ready-file",
          delay_proxy_ready_path(state_dir)};
}

void wait_for_delay_proxy(int pid, const std::string& state_dir, int limit_seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limit_seconds);
  while (!fs::exists(delay_proxy_ready_path(state_dir))) {
    if (!process_alive(pid)) {
      std::ifstream err(delay_proxy_stderr_path(state_dir));
      std::stringstream text;
      text << err.rdbuf();
      throw std::runtime_error("the lab's delay proxy exited: " + text.str());
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("the lab's delay proxy did not listen within " +
                               std::to_string(limit_seconds) + " s");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling: no readiness event
  }
}

}  // namespace lab
