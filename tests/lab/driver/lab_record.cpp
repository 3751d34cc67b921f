#include "tests/lab/driver/lab_record.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace lab {

std::string lab_record_path(const std::string& state_dir) { return state_dir + "/lab.json"; }

void save_lab_record(const LabRecord& r) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& n : r.nodes)
    nodes.push_back({{"cluster", n.cluster},
                     {"system", n.system},
                     {"node_dir", n.node_dir},
                     {"address", n.address},
                     {"port", n.port},
                     {"pid", n.pid},
                     {"winrm_pid", n.winrm_pid},
                     {"winrm_http_port", n.winrm_http_port},
                     {"winrm_https_port", n.winrm_https_port},
                     {"transport", n.transport},
                     {"backend_port", n.backend_port},
                     {"backend_winrm_http_port", n.backend_winrm_http_port},
                     {"backend_winrm_https_port", n.backend_winrm_https_port}});
  nlohmann::json doc = {{"state_dir", r.state_dir},
                        {"client_key", r.client_key},
                        {"known_hosts", r.known_hosts},
                        {"inventory", r.inventory},
                        {"winrm_ca", r.winrm_ca},
                        {"winrm_password_file", r.winrm_password_file},
                        {"kerberos_realm", r.kerberos_realm},
                        {"krb5_config", r.krb5_config},
                        {"kdc_pid", r.kdc_pid},
                        {"rtt_ms", r.rtt_ms},
                        {"delay_proxy_pid", r.delay_proxy_pid},
                        {"delay_proxy_routes", r.delay_proxy_routes},
                        {"nodes", nodes}};
  std::string path = lab_record_path(r.state_dir);
  std::ofstream(path + ".tmp", std::ios::trunc) << doc.dump(2) << "\n";
  std::filesystem::rename(path + ".tmp", path);
}

LabRecord load_lab_record(const std::string& state_dir) {
  std::ifstream in(lab_record_path(state_dir));
  if (!in)
    throw std::runtime_error("no lab in " + state_dir + " (" + lab_record_path(state_dir) +
                             " is missing; run `lab up` first)");
  nlohmann::json doc = nlohmann::json::parse(in);
  LabRecord r;
  r.state_dir = doc.at("state_dir");
  r.client_key = doc.at("client_key");
  r.known_hosts = doc.at("known_hosts");
  r.inventory = doc.value("inventory", "");
  r.winrm_ca = doc.value("winrm_ca", "");
  r.winrm_password_file = doc.value("winrm_password_file", "");
  r.kerberos_realm = doc.value("kerberos_realm", "");
  r.krb5_config = doc.value("krb5_config", "");
  r.kdc_pid = doc.value("kdc_pid", 0);
  r.rtt_ms = doc.value("rtt_ms", 0);
  r.delay_proxy_pid = doc.value("delay_proxy_pid", 0);
  r.delay_proxy_routes = doc.value("delay_proxy_routes", "");
  for (const auto& n : doc.at("nodes")) {
    r.nodes.push_back({n.at("cluster"), n.at("system"), n.at("node_dir"), n.at("address"),
                       n.at("port"), n.at("pid"), n.value("winrm_pid", 0),
                       n.value("winrm_http_port", 0), n.value("winrm_https_port", 0),
                       n.value("transport", "ssh")});
    // A lab.json written before the delay proxy existed: the node listens where clients
    // connect.
    LabNode& added = r.nodes.back();
    added.backend_port = n.value("backend_port", added.port);
    added.backend_winrm_http_port = n.value("backend_winrm_http_port", added.winrm_http_port);
    added.backend_winrm_https_port = n.value("backend_winrm_https_port", added.winrm_https_port);
  }
  return r;
}

const LabNode& resolve_node(const LabRecord& record, const std::string& name) {
  std::vector<const LabNode*> by_system, by_qualified;
  for (const auto& n : record.nodes) {
    if (n.system == name) by_system.push_back(&n);
    if (n.cluster + "/" + n.system == name) by_qualified.push_back(&n);
  }
  if (by_qualified.size() == 1) return *by_qualified.front();
  if (by_system.size() == 1) return *by_system.front();
  std::string list;
  for (const auto& n : record.nodes) list += "\n  " + n.cluster + "/" + n.system;
  if (by_system.size() > 1)
    throw std::runtime_error("node \"" + name +
                             "\" is in several clusters; name it CLUSTER/SYSTEM. Nodes:" + list);
  throw std::runtime_error("unknown node \"" + name + "\". Nodes:" + list);
}

}  // namespace lab
