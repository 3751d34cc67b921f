#include "tests/lab/driver/inventory_writer.h"

#include <yaml-cpp/yaml.h>

#include <map>

namespace lab {
namespace {

void emit_host(YAML::Emitter& y, const InventoryHost& h, const InventorySettings& s,
               const WinrmInventory& w, const std::string& host_name) {
  const NodeSpec& n = *h.node;
  y << YAML::Key << host_name << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "ansible_host" << YAML::Value << n.address;
  if (n.transport == "winrm") {
    auto given = w.ports.find(h.node);
    int port = given != w.ports.end() ? given->second : n.winrm_scheme == "https" ? 5986 : 5985;
    y << YAML::Key << "ansible_port" << YAML::Value << port;
    y << YAML::Key << "ansible_connection" << YAML::Value << "winrm";
    y << YAML::Key << "ansible_winrm_transport" << YAML::Value << n.winrm_auth;
    y << YAML::Key << "ansible_winrm_scheme" << YAML::Value << n.winrm_scheme;
    if (n.winrm_scheme == "https" && !w.ca.empty()) {
      y << YAML::Key << "ansible_winrm_server_cert_validation" << YAML::Value << "validate";
      y << YAML::Key << "ansible_winrm_ca_trust_path" << YAML::Value << w.ca;
    }
    if (n.winrm_auth == "certificate" && !w.client_cert.empty()) {
      y << YAML::Key << "ansible_winrm_cert_pem" << YAML::Value << w.client_cert;
      y << YAML::Key << "ansible_winrm_cert_key_pem" << YAML::Value << w.client_key;
    }
    // Basic over http sends the password in the clear: the inventory says so explicitly.
    if (n.winrm_scheme == "http" && n.winrm_auth == "basic")
      y << YAML::Key << "ansible_winrm_message_encryption" << YAML::Value << "never";
  } else {
    y << YAML::Key << "ansible_port" << YAML::Value << h.port;
    y << YAML::Key << "ansible_connection" << YAML::Value << "ssh";
  }
  y << YAML::Key << "ansible_user" << YAML::Value << s.user;
  y << YAML::Key << "ansible_shell_type" << YAML::Value
    << (n.default_shell == "powershell" ? "powershell" : "cmd");
  // A password node takes no key; its password never goes into a file (the product gets
  // it from --password-env or --ask-pass).
  if (n.ssh_password.empty())
    y << YAML::Key << "ansible_ssh_private_key_file" << YAML::Value << s.private_key;
  y << YAML::Key << "lk_system" << YAML::Value << n.system;
  y << YAML::Key << "lk_root" << YAML::Value << n.lkroot;
  y << YAML::Key << "dk_extmirrbase" << YAML::Value << n.extmirrbase;
  // No lk_codepage: the product reads it with chcp, as it must on a real site.
  y << YAML::EndMap;
}

}  // namespace

std::string inventory_yaml(const Scenario& scenario, const std::vector<InventoryHost>& hosts,
                           const InventorySettings& settings, const WinrmInventory& winrm) {
  std::map<std::string, int> clusters_per_name;
  for (const auto& h : hosts) ++clusters_per_name[h.node->system];
  YAML::Emitter y;
  y << YAML::BeginMap << YAML::Key << "all" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "vars" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "lk_known_hosts" << YAML::Value << settings.known_hosts;
  y << YAML::EndMap;
  y << YAML::Key << "children" << YAML::Value << YAML::BeginMap;
  for (const auto& c : scenario.clusters) {
    y << YAML::Key << c.name << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "vars" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "lk_cluster" << YAML::Value << true;
    if (!c.replaced.empty()) y << YAML::Key << "lk_replaced" << YAML::Value << c.replaced;
    y << YAML::EndMap;
    y << YAML::Key << "hosts" << YAML::Value << YAML::BeginMap;
    for (const auto& h : hosts) {
      if (h.cluster != &c) continue;
      bool shared_name = clusters_per_name[h.node->system] > 1;
      emit_host(y, h, settings, winrm,
                shared_name ? c.name + "/" + h.node->system : h.node->system);
    }
    y << YAML::EndMap << YAML::EndMap;
  }
  y << YAML::EndMap << YAML::EndMap << YAML::EndMap;
  return std::string(y.c_str()) + "\n";
}

}  // namespace lab
