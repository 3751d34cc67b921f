// The OpenSSH side of a node: keys, known_hosts, and the sshd_config whose
// ForceCommand hands every command to the node's cmd.exe emulator (lab-cmd).
#pragma once

#include <string>

namespace lab {

// POSIX shell single-quoting: the text reaches the program as one argument, unchanged.
std::string shell_quote(const std::string& text);

// ssh-keygen -t ed25519 without passphrase; `path` and `path`.pub.
void generate_key(const std::string& path, const std::string& comment);

// "ssh-ed25519 AAAA..." (the comment dropped).
std::string read_public_key(const std::string& private_key_path);

// "127.10.0.1 ssh-ed25519 AAAA..." or "[127.10.0.1]:2222 ..." when the port is not 22.
std::string known_hosts_line(const std::string& address, int port, const std::string& host_key);

struct SshdSettings {
  std::string address;
  int port = 22;
  std::string host_key, authorized_keys, pid_file;
  std::string force_command;   // a shell command line, already quoted
  bool password_auth = false;  // password only (no key): sshd checks its /etc/shadow
};

// An /etc/shadow line for `user` whose password is `password` (SHA-512 crypt, random salt).
std::string shadow_line(const std::string& user, const std::string& password);

std::string sshd_config_text(const SshdSettings& s);

}  // namespace lab
