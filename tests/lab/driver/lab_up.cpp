#include "tests/lab/driver/lab_up.h"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include "tests/lab/driver/delay_proxy_setup.h"
#include "tests/lab/driver/initial_state.h"
#include "tests/lab/driver/inventory_writer.h"
#include "tests/lab/driver/kdc_setup.h"
#include "tests/lab/driver/lab_down.h"
#include "tests/lab/driver/network.h"
#include "tests/lab/driver/parallel.h"
#include "tests/lab/driver/process_runner.h"
#include "tests/lab/driver/process_tree.h"
#include "tests/lab/driver/scenario.h"
#include "tests/lab/driver/ssh_setup.h"
#include "tests/lab/driver/winrm_setup.h"
#include "tests/lab/node/node_ops.h"

namespace fs = std::filesystem;

namespace lab {
namespace {

constexpr size_t kWorkers = 8;  // keygen/start processes in flight at once
constexpr auto kReadyLimit = std::chrono::seconds(30);

struct PlannedNode {
  const ClusterSpec* cluster;
  const NodeSpec* spec;
  std::string cluster_dir, node_dir;
  int port = 22;  // where clients connect: sshd's, or the delay proxy's
  int pid = 0;
  int winrm_http_port = 0, winrm_https_port = 0, winrm_pid = 0;  // WinRM nodes only
  // Where sshd and lab-winrm listen: the ports above, unless the delay proxy takes those.
  int sshd_port = 0, winrm_http_backend = 0, winrm_https_backend = 0;
};

std::string describe(const PlannedNode& n) {
  return "node \"" + n.spec->system + "\" of cluster \"" + n.cluster->name + "\"";
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string find_lab_cmd(const std::string& given) {
  std::string path = given;
  if (path.empty() && getenv("LAB_CMD")) path = getenv("LAB_CMD");
  if (path.empty()) path = (fs::read_symlink("/proc/self/exe").parent_path() / "lab-cmd").string();
  if (access(path.c_str(), X_OK) != 0)
    throw std::runtime_error("the cmd.exe emulator " + path +
                             " is missing; build the lab-cmd target (or pass --lab-cmd)");
  return fs::canonical(path).string();
}

std::string current_user() {
  passwd* pw = getpwuid(geteuid());
  return pw ? pw->pw_name : std::to_string(geteuid());
}

// A second `lab up` into a running lab would orphan its processes.
void prepare_state_dir(const std::string& state_dir) {
  fs::create_directories(state_dir);
  if (fs::exists(lab_record_path(state_dir))) {
    for (const auto& n : load_lab_record(state_dir).nodes)
      if (process_alive(n.pid) && process_cmdline(n.pid).find(n.node_dir) != std::string::npos)
        throw std::runtime_error("a lab is already running in " + state_dir +
                                 "; run `lab down --state " + state_dir + "` first");
  }
  for (const char* old : {"nodes", "clusters", "lab.json", "client_key", "client_key.pub",
                          "known_hosts", "authorized_keys", "winrm_ca.pem", "winrm_ca.key",
                          "winrm_password", "winrm_client_cert.pem", "winrm_client_key.pem", "krb5",
                          "delay_proxy.routes", "delay_proxy.ready", "delay_proxy.stderr"})
    fs::remove_all(fs::path(state_dir) / old);
  fs::create_directories(fs::path(state_dir) / "nodes");
  fs::create_directories(fs::path(state_dir) / "clusters");
}

// A port free on `address` and not handed out yet by this `lab up` (the kernel may offer
// a port again until something binds it).
int unused_port(const std::string& address, std::map<std::string, std::set<int>>& taken) {
  for (;;) {
    int port = pick_free_port(address);
    if (taken[address].insert(port).second) return port;
  }
}

// With a round trip, the delay proxy listens where clients connect and the node's own
// listeners move to ports of their own on the same address.
void assign_backends(PlannedNode& p, bool proxied, std::map<std::string, std::set<int>>& taken) {
  const std::string& address = p.spec->address;
  for (int port : {p.port, p.winrm_http_port, p.winrm_https_port})
    if (port) taken[address].insert(port);
  p.sshd_port = proxied ? unused_port(address, taken) : p.port;
  p.winrm_http_backend =
      proxied && p.winrm_http_port ? unused_port(address, taken) : p.winrm_http_port;
  p.winrm_https_backend =
      proxied && p.winrm_https_port ? unused_port(address, taken) : p.winrm_https_port;
}

std::vector<PlannedNode> plan(const Scenario& s, const std::string& state_dir, bool proxied) {
  std::vector<PlannedNode> nodes;
  bool root = geteuid() == 0;
  std::map<std::string, int> nodes_on_address;
  std::map<std::string, std::set<int>> taken;
  for (const auto& c : s.clusters)
    for (const auto& n : c.nodes) ++nodes_on_address[n.address];
  for (size_t ci = 0; ci < s.clusters.size(); ++ci) {
    const ClusterSpec& c = s.clusters[ci];
    std::string cluster_dir = state_dir + "/clusters/c" + std::to_string(ci);
    for (size_t ni = 0; ni < c.nodes.size(); ++ni) {
      const NodeSpec& n = c.nodes[ni];
      PlannedNode p{&c, &n, cluster_dir,
                    state_dir + "/nodes/c" + std::to_string(ci) + "n" + std::to_string(ni)};
      p.port = n.port ? n.port : root ? 22 : pick_free_port(n.address);
      if (serves_winrm(n)) {
        check_winrm_supported(n, describe(p));
        // Windows' ports, unless another node shares the address (scenarios may give
        // several nodes one address with different ssh ports).
        bool own_address = nodes_on_address[n.address] == 1;
        p.winrm_http_port = root && own_address ? 5985 : pick_free_port(n.address);
        p.winrm_https_port = root && own_address ? 5986 : pick_free_port(n.address);
        while (!(root && own_address) &&
               (p.winrm_https_port == p.winrm_http_port || p.winrm_https_port == p.port))
          p.winrm_https_port = pick_free_port(n.address);
      }
      assign_backends(p, proxied, taken);
      nodes.push_back(p);
    }
  }
  return nodes;
}

void check_addresses_free(const std::vector<PlannedNode>& nodes) {
  for (const auto& n : nodes) {
    for (int port : {n.port, n.winrm_http_port, n.winrm_https_port, n.sshd_port,
                     n.winrm_http_backend, n.winrm_https_backend}) {
      if (port == 0) continue;
      std::string problem = bind_problem(n.spec->address, port);
      if (!problem.empty())
        throw std::runtime_error(describe(n) + ": address " + n.spec->address + ":" +
                                 std::to_string(port) + " cannot be used: " + problem);
    }
  }
}

void create_node_folder(const PlannedNode& n) {
  fs::create_directories(n.cluster_dir);
  NodeState state = initial_node_state(*n.cluster, *n.spec, n.cluster_dir);
  state.port = n.port;
  create_node(n.node_dir, state);
  write_lkdrinfo_files(n.node_dir, state);
  generate_key(n.node_dir + "/ssh_host_ed25519_key", "lab host " + n.spec->address);
  if (serves_winrm(*n.spec))
    create_winrm_certificate(fs::path(n.node_dir).parent_path().parent_path().string(), n.node_dir,
                             n.spec->address);
}

void write_sshd_config(const PlannedNode& n, const std::string& state_dir,
                       const std::string& lab_cmd) {
  SshdSettings s;
  s.address = n.spec->address;
  s.port = n.sshd_port;
  s.host_key = n.node_dir + "/ssh_host_ed25519_key";
  s.authorized_keys = state_dir + "/authorized_keys";
  s.pid_file = n.node_dir + "/sshd.pid";
  s.force_command = shell_quote(lab_cmd) + " --node " + shell_quote(n.node_dir);
  if (!n.spec->ssh_password.empty()) {
    if (geteuid() != 0)
      throw std::runtime_error(describe(n) +
                               ": \"ssh_password\" needs `lab up` as root (sshd reads the "
                               "password from its own /etc/shadow in a private mount namespace)");
    s.password_auth = true;
    // Only the hash is stored; the system's own /etc/shadow is never touched.
    write_file(n.node_dir + "/shadow", shadow_line(current_user(), n.spec->ssh_password));
    fs::permissions(n.node_dir + "/shadow", fs::perms::owner_read | fs::perms::owner_write);
  }
  write_file(n.node_dir + "/sshd_config", sshd_config_text(s));
}

// sshd's argv. A password node's sshd runs in a private mount namespace where the node's
// shadow file is bind-mounted on /etc/shadow: sshd (UsePAM no) checks the password there,
// and neither the system's accounts nor other processes see it. unshare and sh exec in
// place, so the pid is sshd's.
std::vector<std::string> sshd_argv(const PlannedNode& n) {
  std::vector<std::string> sshd{
      "/usr/sbin/sshd", "-D", "-f", n.node_dir + "/sshd_config", "-E", n.node_dir + "/sshd.log"};
  if (n.spec->ssh_password.empty()) return sshd;
  std::vector<std::string> argv{"/usr/bin/unshare",
                                "--mount",
                                "--propagation",
                                "private",
                                "/bin/sh",
                                "-c",
                                "mount --bind \"$0\" /etc/shadow && exec \"$@\"",
                                n.node_dir + "/shadow"};
  argv.insert(argv.end(), sshd.begin(), sshd.end());
  return argv;
}

void start_sshd(PlannedNode& n) {
  if (geteuid() == 0) fs::create_directories("/run/sshd");  // sshd's privilege separation dir
  n.pid = spawn_detached(sshd_argv(n), n.node_dir + "/sshd.stderr");
  // lab-cmd reads it to implement the "drop connection" fault; sshd rewrites the same pid.
  write_file(n.node_dir + "/sshd.pid", std::to_string(n.pid) + "\n");
}

struct WinrmSetup {
  std::string lab_winrm, ca, password_file;
  std::optional<LabRealm> realm = std::nullopt;  // when a node says "winrm_auth": "kerberos"
  int kdc_pid = 0;
};

bool serves_kerberos(const NodeSpec& n) { return serves_winrm(n) && n.winrm_auth == "kerberos"; }

// The lab's realm, its KDC on the first Kerberos node's address (a port of its own).
void prepare_kerberos(const std::vector<PlannedNode>& nodes, const std::string& state_dir,
                      const std::string& realm, WinrmSetup& w) {
  std::vector<std::string> addresses;
  for (const auto& n : nodes)
    if (serves_kerberos(*n.spec)) addresses.push_back(n.spec->address);
  if (addresses.empty()) return;
  int port = pick_free_port(addresses.front());
  std::string password = read_file(w.password_file);
  password = password.substr(0, password.find('\n'));
  w.realm =
      create_realm(state_dir, realm, addresses.front(), port, current_user(), password, addresses);
}

void start_kdc(WinrmSetup& w) {
  if (!w.realm) return;
  w.kdc_pid = spawn_detached(krb5kdc_argv(*w.realm), w.realm->dir + "/krb5kdc.stderr");
}

// The KDC answers on TCP once it has read its database.
void wait_for_kdc(const WinrmSetup& w) {
  if (!w.realm) return;
  auto deadline = std::chrono::steady_clock::now() + kReadyLimit;
  while (!accepts_connections(w.realm->address, w.realm->port)) {
    if (!process_alive(w.kdc_pid))
      throw std::runtime_error(
          "the lab's KDC (krb5kdc) exited: " + read_file(w.realm->dir + "/krb5kdc.stderr") +
          read_file(w.realm->dir + "/kdc.log"));
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("the lab's KDC did not accept connections on " + w.realm->address +
                               ":" + std::to_string(w.realm->port));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling: no readiness event
  }
}

WinrmSetup prepare_winrm(const std::vector<PlannedNode>& nodes, const std::string& state_dir) {
  WinrmSetup w;
  for (const auto& n : nodes)
    if (serves_winrm(*n.spec)) {
      w = {find_lab_winrm(), create_winrm_ca(state_dir), create_winrm_password_file(state_dir)};
      break;
    }
  for (const auto& n : nodes)
    if (serves_winrm(*n.spec) && n.spec->winrm_auth == "certificate") {
      create_winrm_client_certificate(state_dir, current_user());
      break;
    }
  return w;
}

void start_winrm(PlannedNode& n, const WinrmSetup& w, const std::string& lab_cmd) {
  WinrmEndpoint e{n.node_dir,       n.spec->address,      current_user(),        w.password_file,
                  lab_cmd,          n.winrm_http_backend, n.winrm_https_backend, w.ca,
                  n.spec->winrm_cbt};
  std::vector<std::string> argv = lab_winrm_argv(w.lab_winrm, e);
  if (w.realm && serves_kerberos(*n.spec))  // before --lab-cmd PATH, which stays last
    argv.insert(argv.end() - 2, {"--keytab", keytab_path(*w.realm, n.spec->address), "--realm",
                                 w.realm->name, "--krb5-config", w.realm->krb5_conf});
  n.winrm_pid = spawn_detached(argv, n.node_dir + "/winrm.stderr");
}

void wait_until_ready(const std::vector<PlannedNode>& nodes) {
  auto deadline = std::chrono::steady_clock::now() + kReadyLimit;
  std::vector<bool> ready(nodes.size(), false);
  for (size_t pending = nodes.size(); pending > 0;) {
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (ready[i]) continue;
      const PlannedNode& n = nodes[i];
      if (!process_alive(n.pid))
        throw std::runtime_error(describe(n) + ": sshd on " + n.spec->address + ":" +
                                 std::to_string(n.sshd_port) +
                                 " exited: " + read_file(n.node_dir + "/sshd.log") +
                                 read_file(n.node_dir + "/sshd.stderr"));
      if (n.winrm_pid > 0 && !process_alive(n.winrm_pid))
        throw std::runtime_error(describe(n) +
                                 ": lab-winrm exited: " + read_file(n.node_dir + "/winrm.stderr"));
      bool winrm_ready =
          n.winrm_pid == 0 || (accepts_connections(n.spec->address, n.winrm_http_backend) &&
                               accepts_connections(n.spec->address, n.winrm_https_backend));
      if (winrm_ready && accepts_connections(n.spec->address, n.sshd_port)) {
        ready[i] = true;
        --pending;
      }
    }
    if (pending == 0) break;
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error(std::to_string(pending) +
                               " sshd did not accept connections within " +
                               std::to_string(kReadyLimit.count()) + " s");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling: no readiness event
  }
}

struct DelayProxy {
  int rtt_ms = 0;  // 0: no proxy
  int pid = 0;
};

LabRecord record_of(const std::vector<PlannedNode>& nodes, const std::string& state_dir,
                    const std::string& inventory, const WinrmSetup& w, const DelayProxy& proxy) {
  LabRecord r{state_dir,
              state_dir + "/client_key",
              state_dir + "/known_hosts",
              inventory,
              w.ca,
              w.password_file,
              {}};
  for (const auto& n : nodes)
    r.nodes.push_back({n.cluster->name, n.spec->system, n.node_dir, n.spec->address, n.port, n.pid,
                       n.winrm_pid, n.winrm_http_port, n.winrm_https_port, n.spec->transport,
                       n.sshd_port, n.winrm_http_backend, n.winrm_https_backend});
  if (proxy.rtt_ms > 0) {
    r.rtt_ms = proxy.rtt_ms;
    r.delay_proxy_pid = proxy.pid;
    r.delay_proxy_routes = delay_proxy_routes_path(state_dir);
  }
  if (w.realm) {
    r.kerberos_realm = w.realm->name;
    r.krb5_config = w.realm->krb5_conf;
    r.kdc_pid = w.kdc_pid;
  }
  return r;
}

void write_keys_and_configs(const std::vector<PlannedNode>& nodes, const std::string& state_dir,
                            const std::string& lab_cmd) {
  generate_key(state_dir + "/client_key", "lab client");
  write_file(state_dir + "/authorized_keys", read_public_key(state_dir + "/client_key") + "\n");
  std::string known_hosts;
  for (const auto& n : nodes) {
    known_hosts += known_hosts_line(n.spec->address, n.port,
                                    read_public_key(n.node_dir + "/ssh_host_ed25519_key")) +
                   "\n";
    write_sshd_config(n, state_dir, lab_cmd);
  }
  write_file(state_dir + "/known_hosts", known_hosts);
}

void write_inventory(const Scenario& s, const std::vector<PlannedNode>& nodes, const LabRecord& r) {
  std::vector<InventoryHost> hosts;
  WinrmInventory winrm;
  winrm.ca = r.winrm_ca;
  if (fs::exists(winrm_client_cert_path(r.state_dir))) {
    winrm.client_cert = winrm_client_cert_path(r.state_dir);
    winrm.client_key = winrm_client_key_path(r.state_dir);
  }
  for (const auto& n : nodes) {
    hosts.push_back({n.cluster, n.spec, n.port});
    if (serves_winrm(*n.spec))
      winrm.ports[n.spec] =
          n.spec->winrm_scheme == "https" ? n.winrm_https_port : n.winrm_http_port;
  }
  fs::path inventory = r.inventory;
  if (inventory.has_parent_path()) fs::create_directories(inventory.parent_path());
  write_file(r.inventory,
             inventory_yaml(s, hosts, {current_user(), r.client_key, r.known_hosts}, winrm));
}

// One route per listener a client may use: sshd and both WinRM schemes of every node.
std::vector<delay_proxy::Route> proxy_routes(const std::vector<PlannedNode>& nodes) {
  std::vector<delay_proxy::Route> routes;
  for (const auto& n : nodes) {
    const std::string& a = n.spec->address;
    routes.push_back({a, n.port, a, n.sshd_port});
    if (n.winrm_http_port) routes.push_back({a, n.winrm_http_port, a, n.winrm_http_backend});
    if (n.winrm_https_port) routes.push_back({a, n.winrm_https_port, a, n.winrm_https_backend});
  }
  return routes;
}

void start_delay_proxy(const std::vector<PlannedNode>& nodes, const std::string& state_dir,
                       DelayProxy& proxy) {
  if (proxy.rtt_ms == 0) return;
  write_delay_proxy_routes(state_dir, proxy_routes(nodes));
  proxy.pid = spawn_detached(delay_proxy_argv(find_lab_delay_proxy(), state_dir, proxy.rtt_ms),
                             delay_proxy_stderr_path(state_dir));
}

}  // namespace

LabRecord lab_up(const UpOptions& o) {
  Scenario scenario = load_scenario(o.scenario_path);
  if (!o.subnet.empty()) apply_subnet(scenario, o.subnet);
  if (o.rtt_ms > kMaxRttMs)
    throw std::runtime_error("--rtt-ms " + std::to_string(o.rtt_ms) + ": at most " +
                             std::to_string(kMaxRttMs));
  DelayProxy proxy{o.rtt_ms >= 0 ? o.rtt_ms : scenario.rtt_ms};
  if (proxy.rtt_ms > 0) find_lab_delay_proxy();  // missing: say so before anything starts
  std::string lab_cmd = find_lab_cmd(o.lab_cmd_path);
  fs::create_directories(o.state_dir);
  std::string state_dir = fs::canonical(o.state_dir).string();
  std::string inventory = o.inventory_path.empty() ? state_dir + "/inventory.yml"
                                                   : fs::absolute(o.inventory_path).string();
  prepare_state_dir(state_dir);
  std::set<std::string> addresses;
  for (const auto& c : scenario.clusters)
    for (const auto& n : c.nodes) addresses.insert(n.address);
  stop_orphaned_labs(addresses);
  std::vector<PlannedNode> nodes = plan(scenario, state_dir, proxy.rtt_ms > 0);
  check_addresses_free(nodes);
  WinrmSetup winrm = prepare_winrm(nodes, state_dir);  // the CA before the node certificates
  prepare_kerberos(nodes, state_dir, scenario.kerberos_realm, winrm);
  parallel_for(nodes.size(), kWorkers, [&](size_t i) { create_node_folder(nodes[i]); });
  write_keys_and_configs(nodes, state_dir, lab_cmd);
  LabRecord record = record_of(nodes, state_dir, inventory, winrm, proxy);
  save_lab_record(record);  // before any start: `lab down` must find what was started
  try {
    for (auto& n : nodes) start_sshd(n);
    start_kdc(winrm);
    for (auto& n : nodes)
      if (serves_winrm(*n.spec)) start_winrm(n, winrm, lab_cmd);
    start_delay_proxy(nodes, state_dir, proxy);
    record = record_of(nodes, state_dir, inventory, winrm, proxy);
    save_lab_record(record);
    wait_until_ready(nodes);
    wait_for_kdc(winrm);
    if (proxy.pid)
      wait_for_delay_proxy(proxy.pid, state_dir, static_cast<int>(kReadyLimit.count()));
    write_inventory(scenario, nodes, record);
  } catch (...) {
    save_lab_record(record_of(nodes, state_dir, inventory, winrm, proxy));
    lab_down(state_dir);
    throw;
  }
  return record;
}

}  // namespace lab
