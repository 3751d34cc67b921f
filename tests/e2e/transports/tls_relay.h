// A man in the middle for WinRM over https, for the channel binding tests: it accepts
// TLS with a certificate of its own (one the client trusts, as an attacker's would be
// after a mis-issue or a "server_cert_validation: ignore"), opens its own TLS connection
// to the node and copies the bytes both ways, changing nothing. NTLM and Kerberos logins
// pass through it intact; only the channel binding shows the node that the client saw
// another certificate than its own.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lkr::test {

class TlsRelay {
 public:
  // Listens on `address` (a free port) with `cert_pem`/`key_pem`; relays every connection
  // to `target_address`:`target_port` over TLS (the node's certificate is not checked: an
  // attacker has no reason to).
  TlsRelay(const std::string& address, const std::string& cert_pem, const std::string& key_pem,
           std::string target_address, int target_port)
      : target_address_(std::move(target_address)), target_port_(target_port) {
    server_ = SSL_CTX_new(TLS_server_method());
    client_ = SSL_CTX_new(TLS_client_method());
    if (server_ == nullptr || client_ == nullptr ||
        SSL_CTX_use_certificate_chain_file(server_, cert_pem.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(server_, key_pem.c_str(), SSL_FILETYPE_PEM) != 1)
      throw std::runtime_error("relay: cannot load " + cert_pem);
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a = ipv4(address, 0);
    socklen_t size = sizeof a;
    if (bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        listen(listener_, 16) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &size) != 0)
      throw std::runtime_error("relay: cannot listen on " + address);
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~TlsRelay() {
    stop_ = true;
    acceptor_.join();
    for (auto& t : relays_) t.join();
    close(listener_);
    SSL_CTX_free(server_);
    SSL_CTX_free(client_);
  }
  TlsRelay(const TlsRelay&) = delete;
  TlsRelay& operator=(const TlsRelay&) = delete;

  int port() const { return port_; }
  // Client connections whose TLS handshake with the relay and with the node both succeeded.
  int connections_relayed() const { return relayed_; }

 private:
  static sockaddr_in ipv4(const std::string& address, int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, address.c_str(), &a.sin_addr) != 1)
      throw std::runtime_error("relay: bad address " + address);
    return a;
  }

  // Polls so that the destructor's stop_ is seen within 100 ms.
  void accept_loop() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      int fd = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) relays_.emplace_back([this, fd] { relay(fd); });
    }
  }

  void relay(int client_fd) {
    using Ssl = std::unique_ptr<SSL, decltype(&SSL_free)>;
    Ssl from_client(SSL_new(server_), SSL_free), to_node(SSL_new(client_), SSL_free);
    int node_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in node = ipv4(target_address_, target_port_);
    SSL_set_fd(from_client.get(), client_fd);
    SSL_set_fd(to_node.get(), node_fd);
    if (SSL_accept(from_client.get()) == 1 &&
        connect(node_fd, reinterpret_cast<sockaddr*>(&node), sizeof node) == 0 &&
        SSL_connect(to_node.get()) == 1) {
      ++relayed_;
      // Non-blocking from here: a readable socket may hold only a record that is not
      // data (a TLS 1.3 session ticket), after which a blocking SSL_read would wait.
      fcntl(client_fd, F_SETFL, fcntl(client_fd, F_GETFL) | O_NONBLOCK);
      fcntl(node_fd, F_SETFL, fcntl(node_fd, F_GETFL) | O_NONBLOCK);
      pump(from_client.get(), client_fd, to_node.get(), node_fd);
    }
    SSL_shutdown(to_node.get());
    SSL_shutdown(from_client.get());
    close(node_fd);
    close(client_fd);
  }

  // Copies whatever either side sends to the other until one of them closes.
  void pump(SSL* a, int a_fd, SSL* b, int b_fd) {
    while (!stop_) {
      pollfd p[2] = {{a_fd, POLLIN, 0}, {b_fd, POLLIN, 0}};
      if (SSL_pending(a) == 0 && SSL_pending(b) == 0) poll(p, 2, 100);
      if (!copy(a, b, b_fd) || !copy(b, a, a_fd)) return;
    }
  }

  // What `in` has decrypted or can decrypt now, written whole to `out`. False once
  // either side closed or failed.
  bool copy(SSL* in, SSL* out, int out_fd) {
    char buffer[16384];
    for (;;) {
      int n = SSL_read(in, buffer, sizeof buffer);
      if (n <= 0) return SSL_get_error(in, n) == SSL_ERROR_WANT_READ;
      for (int done = 0; done < n;) {
        int w = SSL_write(out, buffer + done, n - done);
        if (w > 0) {
          done += w;
        } else if (SSL_get_error(out, w) == SSL_ERROR_WANT_WRITE) {
          pollfd p{out_fd, POLLOUT, 0};
          poll(&p, 1, 100);
        } else {
          return false;
        }
      }
    }
  }

  std::string target_address_;
  int target_port_ = 0, port_ = 0, listener_ = -1;
  SSL_CTX* server_ = nullptr;
  SSL_CTX* client_ = nullptr;
  std::atomic<bool> stop_{false};
  std::atomic<int> relayed_{0};
  std::thread acceptor_;
  std::vector<std::thread> relays_;  // touched by the acceptor thread only, until joined
};

}  // namespace lkr::test
