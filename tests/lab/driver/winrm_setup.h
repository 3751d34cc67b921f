// The WinRM side of a node (nodes whose scenario says "transport": "winrm"): the lab's
// CA and each node's HTTPS certificate (openssl), the Basic password file, and the argv
// of its endpoint (lab-winrm), which hands every command to the node's cmd.exe emulator.
#pragma once

#include <string>
#include <vector>

#include "tests/lab/driver/scenario.h"

namespace lab {

bool serves_winrm(const NodeSpec& node);

// Throws when the node's auth mode cannot be served as asked (certificate without https).
void check_winrm_supported(const NodeSpec& node, const std::string& label);

// STATE/winrm_ca.pem and STATE/winrm_ca.key (EC P-256, 30 days). Returns the CA path.
std::string create_winrm_ca(const std::string& state_dir);

// NODE_DIR/winrm_cert.pem and winrm_key.pem for `address` (subjectAltName IP), signed by
// the lab's CA.
void create_winrm_certificate(const std::string& state_dir, const std::string& node_dir,
                              const std::string& address);

// STATE/winrm_password (0600, random): the password every WinRM node's Basic and NTLM
// auth take.
std::string create_winrm_password_file(const std::string& state_dir);

// STATE/winrm_client_cert.pem and winrm_client_key.pem: a client certificate for `user`
// (CN), signed by the lab's CA, that certificate auth maps to that user.
std::string winrm_client_cert_path(const std::string& state_dir);
std::string winrm_client_key_path(const std::string& state_dir);
void create_winrm_client_certificate(const std::string& state_dir, const std::string& user);

// lab-winrm next to this executable, or $LAB_WINRM. Throws when it is missing.
std::string find_lab_winrm();
// lab-winrm next to the given lab binary (for tests, which are not next to it).
std::string find_lab_winrm_for(const std::string& lab_binary);

struct WinrmEndpoint {
  std::string node_dir, address, user, password_file, lab_cmd;
  int http_port = 0, https_port = 0;
  std::string client_ca;       // the CA whose client certificates certificate auth admits
  std::string cbt = "strict";  // the node's "winrm_cbt"
};
std::vector<std::string> lab_winrm_argv(const std::string& lab_winrm, const WinrmEndpoint& e);

}  // namespace lab
