#include "tests/lab/driver/lab_down.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include "tests/lab/driver/lab_record.h"
#include "tests/lab/driver/network.h"
#include "tests/lab/driver/process_tree.h"

namespace fs = std::filesystem;

namespace lab {
namespace {

constexpr auto kGrace = std::chrono::milliseconds(2000);

// A recorded pid counts only while it still runs that node's sshd (pids get reused).
bool is_node_sshd(const LabNode& n) {
  return process_alive(n.pid) &&
         process_cmdline(n.pid).find(n.node_dir + "/sshd_config") != std::string::npos;
}

// The lab's delay proxy, while the pid still runs it with this lab's routes file.
bool is_delay_proxy(const LabRecord& r) {
  return r.delay_proxy_pid > 0 && process_alive(r.delay_proxy_pid) &&
         process_cmdline(r.delay_proxy_pid).find(r.state_dir + "/") != std::string::npos;
}

bool is_node_winrm(const LabNode& n) {
  return n.winrm_pid > 0 && process_alive(n.winrm_pid) &&
         process_cmdline(n.winrm_pid).find(n.node_dir) != std::string::npos;
}

std::set<int> self_and_ancestors() {
  std::set<int> out;
  for (int pid = getpid(); pid > 1;) {
    out.insert(pid);
    // Walk up through /proc/PID/status's PPid line.
    FILE* f = fopen(("/proc/" + std::to_string(pid) + "/status").c_str(), "r");
    if (!f) break;
    char line[256];
    int ppid = 0;
    while (fgets(line, sizeof line, f))
      if (sscanf(line, "PPid: %d", &ppid) == 1) break;
    fclose(f);
    pid = ppid;
  }
  return out;
}

// An sshd or lab-cmd of this lab whose parent died before it (reparented to init),
// recognisable by the state folder on its command line.
std::vector<int> strays_of(const std::string& state_dir) {
  std::vector<int> out;
  auto mine = self_and_ancestors();
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    int pid = std::stoi(name);
    if (mine.count(pid)) continue;
    std::string cmd = process_cmdline(pid);
    std::string argv0 = cmd.substr(0, cmd.find(' '));
    // sshd retitles itself ("sshd: /usr/sbin/sshd -D -f ... [listener]"), so its
    // first word may be "sshd:".
    bool ours = argv0.ends_with("sshd") || argv0 == "sshd:" || argv0.ends_with("lab-cmd") ||
                argv0.ends_with("lab-winrm") || argv0.ends_with("krb5kdc") ||
                argv0.ends_with("lab-delay-proxy");
    if (ours && cmd.find(state_dir + "/") != std::string::npos) out.push_back(pid);
  }
  return out;
}

// The state folder of a lab process, or "": sshd's "... -f DIR/nodes/NODE/sshd_config ...",
// lab-winrm's "... --node DIR/nodes/NODE ..." or lab-delay-proxy's
// "... --routes DIR/delay_proxy.routes ...".
std::string lab_state_dir_of(const std::string& cmdline) {
  auto routes = cmdline.find("/delay_proxy.routes");
  auto routes_flag = cmdline.find(" --routes ");
  if (routes != std::string::npos && routes_flag != std::string::npos && routes_flag < routes)
    return cmdline.substr(routes_flag + 10, routes - routes_flag - 10);
  auto config = cmdline.find("/sshd_config");
  if (config != std::string::npos) {
    auto at = cmdline.rfind("/nodes/", config);
    auto f = at == std::string::npos ? at : cmdline.rfind(" -f ", at);
    if (f == std::string::npos) return "";
    return cmdline.substr(f + 4, at - f - 4);
  }
  auto flag = cmdline.find(" --node ");
  if (flag == std::string::npos) return "";
  auto at = cmdline.find("/nodes/", flag);
  return at == std::string::npos ? "" : cmdline.substr(flag + 8, at - flag - 8);
}

// The KDC of a lab whose folder is gone ("... krb5kdc ... -P DIR/krb5/krb5kdc.pid").
std::vector<int> orphaned_kdcs(const std::set<int>& mine, const std::set<unsigned long>& sockets) {
  std::vector<int> out;
  const std::string pid_file = "/krb5/krb5kdc.pid";
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    int pid = std::stoi(name);
    if (mine.count(pid)) continue;
    std::string cmd = process_cmdline(pid);
    auto flag = cmd.find(" -P ");
    auto at = cmd.find(pid_file);
    if (!cmd.substr(0, cmd.find(' ')).ends_with("krb5kdc") || flag == std::string::npos ||
        at == std::string::npos || at < flag)
      continue;
    std::string dir = cmd.substr(flag + 4, at - flag - 4);
    if (fs::exists(lab_record_path(dir)) || fs::exists(dir + "/nodes")) continue;
    if (!holds_any_socket(pid, sockets)) continue;
    std::fprintf(stderr, "lab up: stopping krb5kdc %d of a lab whose folder %s is gone\n", pid,
                 dir.c_str());
    out.push_back(pid);
  }
  return out;
}

}  // namespace

int stop_orphaned_labs(const std::set<std::string>& addresses) {
  std::vector<int> orphans;
  auto mine = self_and_ancestors();
  std::set<unsigned long> in_the_way = sockets_bound_to(addresses);
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    int pid = std::stoi(name);
    if (mine.count(pid)) continue;
    std::string cmd = process_cmdline(pid);
    std::string argv0 = cmd.substr(0, cmd.find(' '));
    bool proxy = argv0.ends_with("/lab-delay-proxy");
    if (!cmd.starts_with("sshd: ") && !cmd.starts_with("/usr/sbin/sshd ") &&
        !argv0.ends_with("/lab-winrm") && !proxy)
      continue;
    std::string dir = lab_state_dir_of(cmd);
    if (dir.empty() || (!proxy && cmd.find(dir + "/nodes/") == std::string::npos)) continue;
    if (fs::exists(lab_record_path(dir)) || fs::exists(dir + "/nodes")) continue;
    if (!holds_any_socket(pid, in_the_way)) continue;
    std::fprintf(stderr, "lab up: stopping %s %d of a lab whose folder %s is gone\n",
                 proxy                          ? "lab-delay-proxy"
                 : argv0.ends_with("lab-winrm") ? "lab-winrm"
                                                : "sshd",
                 pid, dir.c_str());
    orphans.push_back(pid);
  }
  for (int pid : orphaned_kdcs(mine, in_the_way)) orphans.push_back(pid);
  std::vector<int> all = orphans;
  for (int pid : descendants_of(orphans)) all.push_back(pid);
  return stop_processes(all, kGrace);
}

int lab_down(const std::string& state_dir_arg) {
  if (!fs::exists(lab_record_path(state_dir_arg))) {
    // No record (never written, or lost): what still runs for this folder is found by
    // the folder on its command line.
    if (!fs::exists(state_dir_arg)) return 0;
    auto strays = strays_of(fs::canonical(state_dir_arg).string());
    std::vector<int> all = strays;
    for (int pid : descendants_of(strays)) all.push_back(pid);
    return stop_processes(all, kGrace);
  }
  LabRecord r = load_lab_record(state_dir_arg);
  std::vector<int> listeners;
  for (const auto& n : r.nodes)
    if (is_node_sshd(n)) listeners.push_back(n.pid);
  for (const auto& n : r.nodes)
    if (is_node_winrm(n)) listeners.push_back(n.winrm_pid);
  // The lab's KDC ("winrm_auth": "kerberos"), while the pid is still krb5kdc of this lab.
  if (r.kdc_pid > 0 && process_alive(r.kdc_pid) &&
      process_cmdline(r.kdc_pid).find(r.state_dir + "/krb5/") != std::string::npos)
    listeners.push_back(r.kdc_pid);
  if (is_delay_proxy(r)) listeners.push_back(r.delay_proxy_pid);
  for (int pid : strays_of(r.state_dir))
    if (std::find(listeners.begin(), listeners.end(), pid) == listeners.end())
      listeners.push_back(pid);
  // Found before anything is signalled: once a listener dies its children are
  // reparented and can no longer be told apart by ancestry.
  std::vector<int> all = listeners;
  for (int pid : descendants_of(listeners)) all.push_back(pid);
  return stop_processes(all, kGrace);
}

}  // namespace lab
