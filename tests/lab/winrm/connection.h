// A client connection of the lab's WinRM endpoint: plain TCP (5985) or TLS (5986).
#pragma once

#include <openssl/ssl.h>

#include <string>

namespace lab::winrm {

class Connection {
 public:
  // `tls` null: plain. Takes ownership of `fd`. Throws when the TLS handshake fails.
  Connection(int fd, SSL_CTX* tls);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Reads one request: its head (up to the empty line) and a Content-Length body.
  // False at a clean end of the connection or on bad framing.
  bool read_request(std::string& head, std::string& body);
  bool write_all(const std::string& bytes);
  bool tls() const { return ssl_ != nullptr; }
  // The common name of the client's TLS certificate when the lab's CA verified it; empty
  // when the client sent none or one that did not verify.
  std::string verified_client_name() const;
  // The DER of the certificate this end presented (empty over plain TCP): what the
  // client's channel binding must name.
  std::string own_certificate_der() const;

 private:
  long read_some(char* buf, size_t size);

  int fd_;
  SSL* ssl_ = nullptr;
  std::string buffered_;
};

}  // namespace lab::winrm
