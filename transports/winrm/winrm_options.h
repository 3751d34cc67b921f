// How to reach one node over WinRM (from the inventory's ansible_winrm_* variables).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "transports/secret_text.h"
#include "transports/winrm/winrm_modes.h"

namespace lkr {

struct WinrmOptions {
  std::string host;
  int port = 5986;
  WinrmScheme scheme = WinrmScheme::https;  // ansible_winrm_scheme
  std::string path = "/wsman";              // ansible_winrm_path
  std::string user;
  SecretText password;                // secret: never logged, never in an error
  WinrmAuth auth = WinrmAuth::basic;  // ansible_winrm_transport
  // ansible_winrm_message_encryption: auto (encrypt over http), always, never. NTLM and
  // Kerberos seal every message when on (MS-WSMV 2.2.9.1); Windows refuses unsealed
  // bodies over http. Kerberos: `user` may be "user@REALM"; without a password the default
  // credential cache (kinit) is used; krb5.conf (KRB5_CONFIG) names the realms' KDCs.
  MessageEncryption message_encryption = MessageEncryption::automatic;
  // Basic sends the password in the clear over http: refused unless the operator said
  // ansible_winrm_message_encryption: never.
  bool allow_unencrypted = false;
  bool verify_tls = true;  // ansible_winrm_server_cert_validation: validate | ignore
  // ansible_winrm_send_cbt: over https, NTLM and Kerberos bind the login to the TLS
  // connection (channel_binding.h), as Windows' Extended Protection expects; over http
  // there is no channel to bind, and it has no effect.
  bool send_cbt = true;
  std::string ca_trust_path;  // PEM file (or directory of hashed certs); empty: system CAs
  // auth certificate (HTTPS only): ansible_winrm_cert_pem / ansible_winrm_cert_key_pem,
  // the client certificate the node maps to a user, and its private key (PEM files).
  std::string cert_pem, cert_key_pem;
  std::chrono::milliseconds connect_timeout{10000};
  int operation_timeout_s = 20;  // ansible_winrm_operation_timeout_sec
  int read_timeout_s = 30;       // ansible_winrm_read_timeout_sec (> operation timeout)
  int codepage = 65001;          // WINRS_CODEPAGE of the shell, and how output is decoded
  std::size_t max_output_bytes = 64 * 1024 * 1024;  // per stream; more is dropped (truncated)
  int max_envelope_size = 153600;
  std::string locale = "en-US";
  // Kerberos: the service principal is <kerberos_service>@<kerberos_hostname or host>
  // (ansible_winrm_service, ansible_winrm_kerberos_hostname_override).
  std::string kerberos_service = "HTTP";
  std::string kerberos_hostname;
  // ansible_winrm_proxy: the proxy libcurl goes through; empty: none, whatever the
  // environment's *_proxy variables say (the run decides alone).
  std::string proxy;
};

}  // namespace lkr
