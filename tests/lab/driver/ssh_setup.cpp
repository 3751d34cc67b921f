#include "tests/lab/driver/ssh_setup.h"

#include <crypt.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/lab/driver/process_runner.h"

namespace lab {
namespace {

// sshd_config values: double quotes keep spaces together; '%' is a token escape in
// AuthorizedKeysFile, so it is doubled.
std::string config_path(const std::string& path, bool expands_tokens) {
  std::string out = "\"";
  for (char c : path) {
    if (c == '"' || c == '\n') throw std::runtime_error("unusable path for sshd_config: " + path);
    out += (c == '%' && expands_tokens) ? std::string("%%") : std::string(1, c);
  }
  return out + "\"";
}

}  // namespace

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void generate_key(const std::string& path, const std::string& comment) {
  auto r = run_process({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path});
  if (r.rc != 0) throw std::runtime_error("ssh-keygen " + path + " failed: " + r.err);
}

std::string read_public_key(const std::string& private_key_path) {
  std::ifstream in(private_key_path + ".pub");
  std::string type, blob;
  if (!(in >> type >> blob)) throw std::runtime_error("cannot read " + private_key_path + ".pub");
  return type + " " + blob;
}

std::string known_hosts_line(const std::string& address, int port, const std::string& host_key) {
  std::string host = port == 22 ? address : "[" + address + "]:" + std::to_string(port);
  return host + " " + host_key;
}

std::string sshd_config_text(const SshdSettings& s) {
  std::ostringstream c;
  c << "# Written by `lab up`: one simulated LifeKeeper for Windows node.\n"
    << "ListenAddress " << s.address << ":" << s.port << "\n"
    << "HostKey " << config_path(s.host_key, false) << "\n"
    << "AuthorizedKeysFile " << config_path(s.authorized_keys, true) << "\n"
    << "PidFile " << config_path(s.pid_file, false) << "\n"
    << (s.password_auth ? "PasswordAuthentication yes\nPubkeyAuthentication no\n"
                        : "PasswordAuthentication no\n")
    << "KbdInteractiveAuthentication no\n"
    << "UsePAM no\n"
    << "StrictModes no\n"
    << (s.password_auth ? "PermitRootLogin yes\n" : "PermitRootLogin prohibit-password\n")
    << "PermitUserRC no\n"
    << "PrintMotd no\n"
    << "PrintLastLog no\n"
    << "UseDNS no\n"
    << "X11Forwarding no\n"
    << "MaxSessions 50\n"
    << "MaxStartups 100:30:200\n"
    << "LogLevel ERROR\n"
    // bash (the login shell that runs ForceCommand) reads ~/.bashrc when started by
    // sshd with SHLVL < 2; that rc file costs ~130 ms per command here (LAB.md).
    << "SetEnv SHLVL=1\n"
    << "ForceCommand " << s.force_command << "\n";
  return c.str();
}

std::string shadow_line(const std::string& user, const std::string& password) {
  static const char kSaltChars[] =
      "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::ifstream random("/dev/urandom", std::ios::binary);
  std::string salt = "$6$";
  for (int i = 0; i < 16; ++i) salt += kSaltChars[static_cast<unsigned char>(random.get()) % 64];
  struct crypt_data data {};
  const char* hash = crypt_r(password.c_str(), salt.c_str(), &data);
  if (hash == nullptr || hash[0] == '*') throw std::runtime_error("crypt() failed for " + user);
  // Last change 20000 days after 1970 (2024), no expiry: sshd asks for no password change.
  return user + ":" + hash + ":20000:0:99999:7:::\n";
}

}  // namespace lab
