// How to reach one node over SSH (filled from the inventory's ansible_* variables).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "transports/secret_text.h"
#include "transports/shell.h"

namespace lkr {

struct SshOptions {
  std::string host;
  int port = 22;
  std::string user;                   // empty: the local user's name
  std::string key_file;               // private key to try first; empty: none
  SecretText password;                // SECRET: tried last; never logged or put in an error
  std::string known_hosts_file;       // the only file host keys are checked against
  bool accept_new_host_keys = false;  // record an unknown host's key instead of refusing
  std::chrono::milliseconds connect_timeout{10000};  // also bounds each SSH round trip
  int codepage = 437;                                // of the node's output (chcp)
  // What sshd starts each line with: OpenSSH's DefaultShell (ansible_shell_type).
  Shell shell = Shell::cmd;
  std::size_t max_output_bytes = 64 * 1024 * 1024;  // per stream; the rest is discarded
};

}  // namespace lkr
