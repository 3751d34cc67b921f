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
  CHECK(a.connection == lkr::Connection::winrm);
  CHECK(a.winrm.auth == lkr::WinrmAuth::basic);
  CHECK(a.winrm.scheme == lkr::WinrmScheme::https);
  CHECK(a.port == 5986);
  CHECK_FALSE(a.winrm.validate_certificate);
  CHECK(a.winrm.ca_trust_path == "/etc/lab/ca.pem");
  CHECK(a.winrm.message_encryption == lkr::MessageEncryption::never);
  CHECK(a.winrm.operation_timeout_s == 40);
  CHECK(a.winrm.read_timeout_s == 50);
  CHECK(a.winrm.path == "/wsman-x");
  const lkr::Host& b = host(inv, "B");
  CHECK(b.connection == lkr::Connection::ssh);
  CHECK(b.port == 22);
}

TEST_CASE("WinRM defaults: ntlm over https on 5986; http when the port is 5985") {
  InventoryFile f(cluster_with("          ansible_connection: winrm\n",
                               "          ansible_connection: winrm\n"
                               "          ansible_port: 5985\n"));
  auto inv = lkr::load_inventory(f.path());
  const lkr::Host& a = host(inv, "A");
  CHECK(a.winrm.auth == lkr::WinrmAuth::ntlm);
  CHECK(a.winrm.scheme == lkr::WinrmScheme::https);
  CHECK(a.port == 5986);
  CHECK(a.winrm.validate_certificate);
  CHECK(a.winrm.message_encryption == lkr::MessageEncryption::automatic);
  CHECK(a.winrm.operation_timeout_s == 20);
  CHECK(a.winrm.read_timeout_s == 30);
  const lkr::Host& b = host(inv, "B");
  CHECK(b.winrm.scheme == lkr::WinrmScheme::http);
  CHECK(b.port == 5985);
}

TEST_CASE("an explicit scheme decides the default port") {
  InventoryFile f(
      cluster_with("          ansible_connection: winrm\n"
                   "          ansible_winrm_scheme: http\n",
                   ""));
  auto inv = lkr::load_inventory(f.path());
  CHECK(host(inv, "A").port == 5985);
  CHECK(host(inv, "A").winrm.scheme == lkr::WinrmScheme::http);
}

TEST_CASE("every WinRM choice is read into its value") {
  InventoryFile f(
      cluster_with("          ansible_connection: winrm\n"
                   "          ansible_winrm_transport: kerberos\n"
                   "          ansible_winrm_message_encryption: always\n",
                   "          ansible_connection: winrm\n"
                   "          ansible_winrm_transport: certificate\n"
                   "          ansible_winrm_cert_pem: /c.pem\n"
                   "          ansible_winrm_cert_key_pem: /k.pem\n"));
  auto inv = lkr::load_inventory(f.path());
  CHECK(host(inv, "A").winrm.auth == lkr::WinrmAuth::kerberos);
  CHECK(host(inv, "A").winrm.message_encryption == lkr::MessageEncryption::always);
  CHECK(host(inv, "B").winrm.auth == lkr::WinrmAuth::certificate);
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
        Case{"ansible_winrm_transport: NTLM", "basic, ntlm, kerberos, certificate"},
        Case{"ansible_winrm_scheme: HTTPS", "https, http"},
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

TEST_CASE("ansible_shell_type is kept as written, for WinRM hosts too") {
  // Which shell a connection renders for is the transport factory's choice (WinRS: cmd;
  // transport_factory_test); the inventory only records what the file says.
  InventoryFile f(
      cluster_with("          ansible_connection: winrm\n"
                   "          ansible_shell_type: powershell\n",
                   "          ansible_shell_type: powershell\n"));
  auto inv = lkr::load_inventory(f.path());
  CHECK(host(inv, "A").shell == lkr::Shell::powershell);
  CHECK(host(inv, "B").shell == lkr::Shell::powershell);
}

TEST_CASE("every other ansible_winrm_* variable is honoured or refused, never ignored") {
  using Catch::Matchers::Contains;
  const std::string winrm = "          ansible_connection: winrm\n";
  SECTION("honoured: connect timeout, the Kerberos principal and ticket source, the proxy") {
    InventoryFile f(cluster_with(winrm + "          ansible_winrm_transport: kerberos\n"
                                         "          ansible_winrm_connection_timeout: 7\n"
                                         "          ansible_winrm_service: WSMAN\n"
                                         "          ansible_winrm_kerberos_hostname_override: "
                                         "node-a.example.test\n"
                                         "          ansible_winrm_kinit_mode: manual\n"
                                         "          ansible_winrm_kerberos_delegation: false\n"
                                         "          ansible_winrm_send_cbt: false\n"
                                         "          ansible_winrm_proxy: http://proxy:3128\n",
                                 ""));
    auto inv = lkr::load_inventory(f.path());
    const lkr::Host& a = host(inv, "A");
    CHECK(a.winrm.connect_timeout_s == 7);
    CHECK(a.winrm.kerberos_service == "WSMAN");
    CHECK(a.winrm.kerberos_hostname == "node-a.example.test");
    CHECK_FALSE(a.winrm.kerberos_from_password);
    CHECK(a.winrm.proxy == "http://proxy:3128");
    CHECK_FALSE(a.winrm.send_cbt);
  }
  SECTION("defaults: HTTP@<address>, a ticket from the password, no proxy, channel binding") {
    InventoryFile f(cluster_with(winrm, ""));
    auto inv = lkr::load_inventory(f.path());
    const lkr::Host& a = host(inv, "A");
    CHECK(a.winrm.connect_timeout_s == 0);
    CHECK(a.winrm.kerberos_service == "HTTP");
    CHECK(a.winrm.kerberos_hostname.empty());
    CHECK(a.winrm.kerberos_from_password);
    CHECK(a.winrm.proxy.empty());
    CHECK(a.winrm.send_cbt);  // Windows' "Strict" Extended Protection needs it over https
  }
  SECTION("send_cbt is honoured over https and http (where it has no effect), as Ansible spells") {
    for (const std::string spelling : {"true", "True", "yes", "false", "False", "no"}) {
      INFO(spelling);
      bool expected = spelling == "true" || spelling == "True" || spelling == "yes";
      InventoryFile https(
          cluster_with(winrm + "          ansible_winrm_send_cbt: " + spelling + "\n", ""));
      CHECK(host(lkr::load_inventory(https.path()), "A").winrm.send_cbt == expected);
      InventoryFile http(cluster_with(winrm +
                                          "          ansible_port: 5985\n"
                                          "          ansible_winrm_send_cbt: " +
                                          spelling + "\n",
                                      ""));
      auto inv = lkr::load_inventory(http.path());
      const lkr::Host& a = host(inv, "A");
      CHECK(a.winrm.scheme == lkr::WinrmScheme::http);
      CHECK(a.winrm.send_cbt == expected);
    }
    InventoryFile bad(cluster_with(winrm + "          ansible_winrm_send_cbt: sometimes\n", ""));
    CHECK_THROWS_WITH(lkr::load_inventory(bad.path()),
                      Contains(":11:") && Contains("ansible_winrm_send_cbt") && Contains("true"));
  }
  // Each refusal names the file's line and says why (line 11: the variable after
  // ansible_connection).
  for (const std::string line :
       {"ansible_winrm_kerberos_delegation: true", "ansible_winrm_kinit_cmd: /usr/bin/kinit",
        "ansible_winrm_kinit_args: -f", "ansible_winrm_credssp_disable_tlsv1_2: true",
        "ansible_winrm_reconnection_retries: 3", "ansible_winrm_reconnection_backoff: 2",
        "ansible_winrm_kinit_mode: sometimes", "ansible_winrm_connection_timeout: soon",
        "ansible_winrm_sned_cbt: false"}) {
    INFO(line);
    InventoryFile f(cluster_with(winrm + "          " + line + "\n", ""));
    std::string name = line.substr(0, line.find(':'));
    CHECK_THROWS_WITH(lkr::load_inventory(f.path()), Contains(":11:") && Contains(name));
  }
  InventoryFile typo(cluster_with(winrm + "          ansible_winrm_sned_cbt: false\n", ""));
  CHECK_THROWS_WITH(lkr::load_inventory(typo.path()), Contains("ansible_winrm_send_cbt"));
  // An SSH host's WinRM settings are Ansible's business too: not read, not refused.
  InventoryFile ssh(cluster_with("          ansible_winrm_kinit_cmd: /usr/bin/kinit\n", ""));
  CHECK_NOTHROW(lkr::load_inventory(ssh.path()));
}
