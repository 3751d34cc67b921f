#include "tests/lab/winrm/connection.h"

#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "tests/lab/winrm/http_message.h"

namespace lab::winrm {
namespace {

constexpr size_t kMaxHead = 64 * 1024;
constexpr size_t kMaxBody = 16 * 1024 * 1024;

}  // namespace

Connection::Connection(int fd, SSL_CTX* tls) : fd_(fd) {
  if (tls == nullptr) return;
  ssl_ = SSL_new(tls);
  SSL_set_fd(ssl_, fd_);
  if (SSL_accept(ssl_) != 1) {
    SSL_free(ssl_);
    ssl_ = nullptr;
    close(fd_);
    fd_ = -1;
    throw std::runtime_error("TLS handshake failed");
  }
}

Connection::~Connection() {
  if (ssl_ != nullptr) {
    SSL_shutdown(ssl_);
    SSL_free(ssl_);
  }
  if (fd_ >= 0) close(fd_);
}

std::string Connection::verified_client_name() const {
  if (ssl_ == nullptr || SSL_get_verify_result(ssl_) != X509_V_OK) return "";
  X509* peer = SSL_get1_peer_certificate(ssl_);
  if (peer == nullptr) return "";
  char cn[256] = "";
  int n = X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof cn);
  X509_free(peer);
  return n > 0 ? std::string(cn, static_cast<size_t>(n)) : "";
}

std::string Connection::own_certificate_der() const {
  X509* own = ssl_ != nullptr ? SSL_get_certificate(ssl_) : nullptr;
  int length = own != nullptr ? i2d_X509(own, nullptr) : 0;
  if (length <= 0) return "";
  std::string der(static_cast<size_t>(length), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_X509(own, &out);
  return der;
}

long Connection::read_some(char* buf, size_t size) {
  if (ssl_ != nullptr) {
    int n = SSL_read(ssl_, buf, static_cast<int>(size));
    return n > 0 ? n : -1;
  }
  for (;;) {
    ssize_t n = read(fd_, buf, size);
    if (n < 0 && errno == EINTR) continue;
    return n > 0 ? n : -1;
  }
}

bool Connection::write_all(const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    long n;
    if (ssl_ != nullptr) {
      n = SSL_write(ssl_, bytes.data() + done, static_cast<int>(bytes.size() - done));
    } else {
      n = write(fd_, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
    }
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

bool Connection::read_request(std::string& head, std::string& body) {
  char buf[16384];
  size_t end;
  while ((end = buffered_.find("\r\n\r\n")) == std::string::npos) {
    if (buffered_.size() > kMaxHead) return false;
    long n = read_some(buf, sizeof buf);
    if (n <= 0) return false;
    buffered_.append(buf, static_cast<size_t>(n));
  }
  head = buffered_.substr(0, end);
  buffered_.erase(0, end + 4);
  auto request = parse_request_head(head);
  if (!request) return false;
  size_t length = 0;
  if (auto cl = request->header("content-length")) {
    try {
      length = std::stoul(*cl);
    } catch (const std::exception&) {
      return false;
    }
  }
  if (length > kMaxBody) return false;
  while (buffered_.size() < length) {
    long n = read_some(buf, sizeof buf);
    if (n <= 0) return false;
    buffered_.append(buf, static_cast<size_t>(n));
  }
  body = buffered_.substr(0, length);
  buffered_.erase(0, length);
  return true;
}

}  // namespace lab::winrm
