// lab-winrm: the WinRM endpoint of one simulated node (LAB.md), started by `lab up` for
// nodes whose scenario says "transport": "winrm".
//   lab-winrm --node NODE_DIR --address A [--http-port P] [--https-port Q --cert C --key K]
//             --user U --password-file F [--lab-cmd PATH] [--client-ca CA]
//             [--keytab KT --realm R --krb5-config CONF] [--cbt strict|relaxed|none]
// Serves WS-Management shells at /wsman with Basic and NTLM auth (NTLM with message
// encryption over HTTP, as Windows ships WinRM); every command goes to the
// node's cmd.exe emulator (lab-cmd) as under sshd. With --keytab, Kerberos too: the
// keytab holds the node's HTTP/<address> key from the lab's KDC (realm R, whose
// krb5.conf is CONF); MIT's replay cache goes into the node's folder. Over HTTPS, NTLM and
// Kerberos logins must carry the channel binding of the endpoint's certificate as --cbt
// says (Windows' CbtHardeningLevel; default strict). The password is read from a
// file, never from the command line (process lists are public).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/lab/winrm/connection.h"
#include "tests/lab/winrm/http_message.h"
#include "tests/lab/winrm/request_handler.h"
#include "tests/lab/winrm/shell_service.h"
#include "transports/winrm/channel_binding.h"

namespace {

using namespace lab::winrm;

struct Settings {
  std::string node_dir, address, cert, key, user, password_file, lab_cmd, client_ca;
  std::string keytab, realm, krb5_config;
  std::string cbt = "strict";
  int http_port = 0, https_port = 0;
};

CbtHardening cbt_hardening(const std::string& name) {
  if (name == "strict") return CbtHardening::strict;
  if (name == "relaxed") return CbtHardening::relaxed;
  if (name == "none") return CbtHardening::none;
  throw std::runtime_error("--cbt " + name + ": expected strict, relaxed or none");
}

Settings parse_args(int argc, char** argv) {
  Settings s;
  std::map<std::string, std::string*> text = {{"--node", &s.node_dir},
                                              {"--address", &s.address},
                                              {"--cert", &s.cert},
                                              {"--key", &s.key},
                                              {"--user", &s.user},
                                              {"--password-file", &s.password_file},
                                              {"--lab-cmd", &s.lab_cmd},
                                              {"--client-ca", &s.client_ca},
                                              {"--keytab", &s.keytab},
                                              {"--realm", &s.realm},
                                              {"--krb5-config", &s.krb5_config},
                                              {"--cbt", &s.cbt}};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--http-port")
      s.http_port = std::stoi(argv[i + 1]);
    else if (flag == "--https-port")
      s.https_port = std::stoi(argv[i + 1]);
    else if (text.count(flag))
      *text[flag] = argv[i + 1];
    else
      throw std::runtime_error("unknown option " + flag);
  }
  if (s.node_dir.empty() || s.address.empty() || s.user.empty() || s.password_file.empty())
    throw std::runtime_error("--node, --address, --user and --password-file are required");
  if (s.lab_cmd.empty())
    s.lab_cmd =
        (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "lab-cmd").string();
  return s;
}

int listen_on(const std::string& address, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, address.c_str(), &a.sin_addr) != 1)
    throw std::runtime_error("bad address " + address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd, 128) != 0)
    throw std::runtime_error("cannot listen on " + address + ":" + std::to_string(port) + ": " +
                             std::strerror(errno));
  return fd;
}

SSL_CTX* tls_context(const Settings& s) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr || SSL_CTX_use_certificate_chain_file(ctx, s.cert.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, s.key.c_str(), SSL_FILETYPE_PEM) != 1)
    throw std::runtime_error("cannot load TLS certificate " + s.cert + " / key " + s.key);
  if (!s.client_ca.empty()) {
    // Client certificates (certificate auth) are asked for, never required: Basic and NTLM
    // clients send none. Any certificate is let through the handshake; the request handler
    // admits only one the CA verified (SSL_get_verify_result), answering 401 otherwise.
    if (SSL_CTX_load_verify_locations(ctx, s.client_ca.c_str(), nullptr) != 1)
      throw std::runtime_error("cannot load the client CA " + s.client_ca);
    SSL_CTX_set_client_CA_list(ctx, SSL_load_client_CA_file(s.client_ca.c_str()));
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
    // With peer verification on, OpenSSL refuses to resume a session (internal_error
    // alert) unless the context names one; clients resume (libcurl does when it opens a
    // new connection on the same handle) and Windows lets them.
    static const unsigned char kSessionContext[] = "lab-winrm";
    SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
  }
  return ctx;
}

void serve(std::unique_ptr<Connection> c, ShellService& service, const Credentials& credentials) {
  std::string bindings =
      c->tls() ? lkr::winrm::tls_server_end_point(c->own_certificate_der()) : std::string();
  RequestHandler handler(service, credentials, c->tls(), c->verified_client_name(), bindings);
  std::string head, body;
  while (c->read_request(head, body)) {
    RequestHandler::Response reply = handler.handle(parse_request_head(head), body);
    if (!c->write_all(reply.bytes) || !reply.keep_alive) return;
  }
}

std::string read_password(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string p;
  std::getline(in, p);
  if (p.empty()) throw std::runtime_error("no password in " + path);
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    signal(SIGPIPE, SIG_IGN);
    Settings s = parse_args(argc, argv);
    Credentials credentials{s.user, read_password(s.password_file)};
    credentials.cbt = cbt_hardening(s.cbt);
    if (!s.keytab.empty()) {
      credentials.keytab = s.keytab;
      credentials.realm = s.realm;
      // Before the first GSSAPI call: MIT reads these once.
      if (!s.krb5_config.empty()) setenv("KRB5_CONFIG", s.krb5_config.c_str(), 1);
      setenv("KRB5RCACHEDIR", s.node_dir.c_str(), 1);
    }
    SSL_CTX* tls = s.https_port > 0 ? tls_context(s) : nullptr;
    std::vector<pollfd> listeners;
    std::vector<SSL_CTX*> contexts;
    if (s.http_port > 0) {
      listeners.push_back({listen_on(s.address, s.http_port), POLLIN, 0});
      contexts.push_back(nullptr);
    }
    if (s.https_port > 0) {
      listeners.push_back({listen_on(s.address, s.https_port), POLLIN, 0});
      contexts.push_back(tls);
    }
    if (listeners.empty()) throw std::runtime_error("neither --http-port nor --https-port given");
    std::string url = std::string(s.https_port > 0 ? "https" : "http") + "://" + s.address + ":" +
                      std::to_string(s.https_port > 0 ? s.https_port : s.http_port) + "/wsman";
    ShellService service(s.lab_cmd, s.node_dir, url);
    for (;;) {
      if (poll(listeners.data(), listeners.size(), -1) < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
      }
      for (size_t i = 0; i < listeners.size(); ++i) {
        if (!(listeners[i].revents & POLLIN)) continue;
        int fd = accept4(listeners[i].fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        SSL_CTX* ctx = contexts[i];
        // One thread per connection: the handshake and a long Receive never block others.
        std::thread([fd, ctx, &service, &credentials] {
          try {
            serve(std::make_unique<Connection>(fd, ctx), service, credentials);
          } catch (const std::exception&) {
            // a failed handshake, a broken client, or the "drop" fault (DropConnection, out
            // of a Receive): the connection closes unanswered, the server goes on
          }
        }).detach();
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "lab-winrm: " << e.what() << "\n";
    return 1;
  }
}
