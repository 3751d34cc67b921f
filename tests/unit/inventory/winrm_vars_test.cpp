// ansible_connection: winrm and the ansible_winrm_* variables, read into Host::winrm with
// Ansible's defaults; bad values name file and line. A cluster may mix SSH and WinRM.
#include <catch2/catch.hpp>

#include "inventory/inventory.h"
#include "tests/unit/inventory/inventory_file.h"

using lkr::test::InventoryFile;

namespace {

std::string cluster_with(const std::string& a_vars, const std::string& b_vars) {
  return "all:\n  children:\n    c1:\n      vars:\n        lk_cluster: true\n"
         "        lk_replaced: B\n      hosts:\n        A:\n          ansible_host: 10.0.0.1\n" +
         a_vars + "        B:\n          ansible_host: 10.0.0.2\n" + b_vars;
}

const lkr::Host& host(const lkr::Inventory& inv, const std::string& name) {
  for (const auto& h : inv.clusters.at(0).hosts)
    if (h.name == name) return h;
  FAIL("no host " << name);
  throw;
}

}  // namespace

TEST_CASE("a mixed cluster: WinRM settings with Ansible's names, SSH host untouched") {
  InventoryFile f(
      cluster_with("          ansible_connection: winrm\n"
                   "          ansible_winrm_transport: basic\n"
                   "          ansible_winrm_server_cert_validation: ignore\n"
                   "          ansible_winrm_ca_trust_path: /etc/lab/ca.pem\n"
                   "          ansible_winrm_message_encryption: never\n"
                   "          ansible_winrm_operation_timeout_sec: 40\n"
                   "          ansible_winrm_read_timeout_sec: 50\n"
                   "          ansible_winrm_path: /wsman-x\n",
                   ""));
  auto inv = lkr::load_inventory(f.path());
  const lkr::Host& a = host(inv, "A");
  CHECK(a.connection == "winrm");
  CHECK(a.winrm.transport == "basic");
  CHECK(a.winrm.scheme == "https");
  CHECK(a.port == 5986);
  CHECK_FALSE(a.winrm.validate_certificate);
  CHECK(a.winrm.ca_trust_path == "/etc/lab/ca.pem");
  CHECK(a.winrm.message_encryption == "never");
  CHECK(a.winrm.operation_timeout_s == 40);
  CHECK(a.winrm.read_timeout_s == 50);
  CHECK(a.winrm.path == "/wsman-x");
  const lkr::Host& b = host(inv, "B");
  CHECK(b.connection == "ssh");
  CHECK(b.port == 22);
}

TEST_CASE("WinRM defaults: ntlm over https on 5986; http when the port is 5985") {
  InventoryFile f(cluster_with("          ansible_connection: winrm\n",
                               "          ansible_connection: winrm\n"
                               "          ansible_port: 5985\n"));
  auto inv = lkr::load_inventory(f.path());
  const lkr::Host& a = host(inv, "A");
  CHECK(a.winrm.transport == "ntlm");
  CHECK(a.winrm.scheme == "https");
  CHECK(a.port == 5986);
  CHECK(a.winrm.validate_certificate);
  CHECK(a.winrm.message_encryption == "auto");
  CHECK(a.winrm.operation_timeout_s == 20);
  CHECK(a.winrm.read_timeout_s == 30);
  const lkr::Host& b = host(inv, "B");
  CHECK(b.winrm.scheme == "http");
  CHECK(b.port == 5985);
}

TEST_CASE("an explicit scheme decides the default port") {
  InventoryFile f(
      cluster_with("          ansible_connection: winrm\n"
                   "          ansible_winrm_scheme: http\n",
                   ""));
  auto inv = lkr::load_inventory(f.path());
  CHECK(host(inv, "A").port == 5985);
}

TEST_CASE("bad WinRM values are refused with file, line and the allowed values") {
  struct Case {
    std::string line, expect;
  };
  for (const Case& c :
       {Case{"ansible_winrm_transport: credssp", "basic, ntlm, kerberos, certificate"},
        Case{"ansible_winrm_scheme: ftp", "https, http"},
        Case{"ansible_winrm_server_cert_validation: no", "validate, ignore"},
        Case{"ansible_winrm_message_encryption: maybe", "auto, always, never"},
        Case{"ansible_winrm_read_timeout_sec: 10", "must exceed"},
        Case{"ansible_winrm_operation_timeout_sec: x", "number of seconds"},
        Case{"ansible_winrm_transport: certificate", "ansible_winrm_cert_pem"}}) {
    InventoryFile f(
        cluster_with("          ansible_connection: winrm\n          " + c.line + "\n", ""));
    INFO(c.line);
    try {
      lkr::load_inventory(f.path());
      FAIL("accepted " << c.line);
    } catch (const lkr::InventoryError& e) {
      std::string what = e.what();
      CHECK(what.find(c.expect) != std::string::npos);
      // The line of the offending variable, except for the certificate pair (the host's).
      std::string at =
          c.line.find("certificate") != std::string::npos ? f.at("        A:") : f.at(c.line);
      CHECK(what.rfind(at + ":", 0) == 0);
    }
  }
}

TEST_CASE("a WinRM host's commands are rendered for cmd.exe whatever ansible_shell_type says") {
  // WinRS hands each Command to cmd.exe; OpenSSH's DefaultShell (the shell type) does not
  // apply. The SSH host keeps its PowerShell rendering.
  InventoryFile f(
      cluster_with("          ansible_connection: winrm\n"
                   "          ansible_shell_type: powershell\n",
                   "          ansible_shell_type: powershell\n"));
  auto inv = lkr::load_inventory(f.path());
  CHECK(host(inv, "A").shell_type == "cmd");
  CHECK(host(inv, "B").shell_type == "powershell");
}
