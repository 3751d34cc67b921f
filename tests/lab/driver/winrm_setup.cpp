#include "tests/lab/driver/winrm_setup.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "tests/lab/driver/process_runner.h"

namespace fs = std::filesystem;

namespace lab {
namespace {

void openssl(const std::vector<std::string>& args, const std::string& what) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_process(argv, 30000);
  if (r.rc != 0) throw std::runtime_error("openssl could not " + what + ": " + r.err);
}

}  // namespace

// LAB.md: "every node serves both" transports; "transport" only chooses what the
// inventory uses. A node's sshd and its WinRM endpoint run the same lab-cmd.
bool serves_winrm(const NodeSpec&) { return true; }

void check_winrm_supported(const NodeSpec& node, const std::string& label) {
  if (node.winrm_auth == "certificate" && node.winrm_scheme != "https")
    throw std::runtime_error(label +
                             ": \"winrm_auth\": \"certificate\" needs "
                             "\"winrm_scheme\": \"https\" (client certificates are part of TLS)");
}

std::string create_winrm_ca(const std::string& state_dir) {
  std::string ca = state_dir + "/winrm_ca.pem";
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-keyout", state_dir + "/winrm_ca.key", "-out", ca, "-days", "30", "-subj",
           "/CN=lkrecover lab WinRM CA"},
          "create the lab's WinRM CA");
  return ca;
}

void create_winrm_certificate(const std::string& state_dir, const std::string& node_dir,
                              const std::string& address) {
  // One openssl run: key, certificate and the CA's signature (OpenSSL 3's req -CA).
  openssl({"req",
           "-x509",
           "-newkey",
           "ec",
           "-pkeyopt",
           "ec_paramgen_curve:prime256v1",
           "-nodes",
           "-keyout",
           node_dir + "/winrm_key.pem",
           "-out",
           node_dir + "/winrm_cert.pem",
           "-days",
           "30",
           "-subj",
           "/CN=" + address,
           "-CA",
           state_dir + "/winrm_ca.pem",
           "-CAkey",
           state_dir + "/winrm_ca.key",
           "-addext",
           "subjectAltName=IP:" + address,
           "-addext",
           "basicConstraints=CA:FALSE",
           "-addext",
           "extendedKeyUsage=serverAuth"},
          "create the WinRM certificate of " + address);
}

std::string create_winrm_password_file(const std::string& state_dir) {
  static const char kChars[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  std::ifstream random("/dev/urandom", std::ios::binary);
  std::string password;
  for (int i = 0; i < 24; ++i)
    password += kChars[static_cast<unsigned char>(random.get()) % (sizeof kChars - 1)];
  std::string path = state_dir + "/winrm_password";
  {
    std::ofstream out(path, std::ios::trunc);
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    out << password << "\n";
    if (!out) throw std::runtime_error("cannot write " + path);
  }
  return path;
}

std::string winrm_client_cert_path(const std::string& state_dir) {
  return state_dir + "/winrm_client_cert.pem";
}

std::string winrm_client_key_path(const std::string& state_dir) {
  return state_dir + "/winrm_client_key.pem";
}

void create_winrm_client_certificate(const std::string& state_dir, const std::string& user) {
  openssl({"req",
           "-x509",
           "-newkey",
           "ec",
           "-pkeyopt",
           "ec_paramgen_curve:prime256v1",
           "-nodes",
           "-keyout",
           winrm_client_key_path(state_dir),
           "-out",
           winrm_client_cert_path(state_dir),
           "-days",
           "30",
           "-subj",
           "/CN=" + user,
           "-CA",
           state_dir + "/winrm_ca.pem",
           "-CAkey",
           state_dir + "/winrm_ca.key",
           "-addext",
           "basicConstraints=CA:FALSE",
           "-addext",
           "extendedKeyUsage=clientAuth"},
          "create the WinRM client certificate");
  fs::permissions(winrm_client_key_path(state_dir), fs::perms::owner_read | fs::perms::owner_write);
}

std::string find_lab_winrm() {
  std::string path = getenv("LAB_WINRM") ? getenv("LAB_WINRM") : "";
  if (path.empty())
    path = (fs::read_symlink("/proc/self/exe").parent_path() / "lab-winrm").string();
  if (access(path.c_str(), X_OK) != 0)
    throw std::runtime_error("the WinRM endpoint " + path +
                             " is missing; build the lab-winrm target (or set $LAB_WINRM)");
  return fs::canonical(path).string();
}

std::string find_lab_winrm_for(const std::string& lab_binary) {
  return (fs::path(lab_binary).parent_path() / "lab-winrm").string();
}

std::vector<std::string> lab_winrm_argv(const std::string& lab_winrm, const WinrmEndpoint& e) {
  return {lab_winrm,
          "--node",
          e.node_dir,
          "--address",
          e.address,
          "--http-port",
          std::to_string(e.http_port),
          "--https-port",
          std::to_string(e.https_port),
          "--cert",
          e.node_dir + "/winrm_cert.pem",
          "--key",
          e.node_dir + "/winrm_key.pem",
          "--user",
          e.user,
          "--password-file",
          e.password_file,
          "--cbt",
          e.cbt,
          "--client-ca",
          e.client_ca,
          "--lab-cmd",
          e.lab_cmd};  // last: tests drop it to start an endpoint that runs no command
}

}  // namespace lab
