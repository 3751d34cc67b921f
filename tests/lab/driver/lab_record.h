// STATE/lab.json: what `lab up` started, so that the other subcommands find the nodes
// and `lab down` stops exactly those processes.
#pragma once

#include <string>
#include <vector>

namespace lab {

struct LabNode {
  std::string cluster, system, node_dir, address;
  int port = 22;  // where clients reach the node's ssh (the delay proxy, when there is one)
  int pid = 0;    // the node's listening sshd
  // The node's lab-winrm endpoint (every node serves WinRM too); its ports are where
  // clients reach it, like `port`.
  int winrm_pid = 0;
  int winrm_http_port = 0, winrm_https_port = 0;
  std::string transport = "ssh";  // what the inventory uses: the scenario's "transport"
  // Where the node's own sshd and lab-winrm listen: the ports above unless the lab runs
  // its delay proxy (rtt_ms > 0), which listens on those and forwards to these.
  int backend_port = 0, backend_winrm_http_port = 0, backend_winrm_https_port = 0;
};

struct LabRecord {
  std::string state_dir;  // absolute
  std::string client_key, known_hosts, inventory;
  // Set when the lab has WinRM nodes: the CA of their HTTPS certificates, and the file
  // holding the password their Basic auth takes (user: the inventory's ansible_user).
  std::string winrm_ca, winrm_password_file;
  std::vector<LabNode> nodes;
  // Set when a node says "winrm_auth": "kerberos": the lab's realm, the krb5.conf that
  // names its KDC (what a client's KRB5_CONFIG must point to), and the KDC's pid.
  std::string kerberos_realm = "", krb5_config = "";
  int kdc_pid = 0;
  // Set when the lab runs with a network round trip (`lab up --rtt-ms`, a scenario's
  // "rtt_ms"): the delay proxy's pid and its routes file (one line per listener).
  int rtt_ms = 0;
  int delay_proxy_pid = 0;
  std::string delay_proxy_routes = "";
};

std::string lab_record_path(const std::string& state_dir);
void save_lab_record(const LabRecord& record);  // to record.state_dir, atomically
// Throws std::runtime_error when the folder holds no lab.
LabRecord load_lab_record(const std::string& state_dir);

// NODE is a system name, or CLUSTER/SYSTEM when the name is in several clusters.
// Throws std::runtime_error naming the nodes that exist.
const LabNode& resolve_node(const LabRecord& record, const std::string& name);

}  // namespace lab
