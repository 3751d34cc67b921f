// A tiny HTTP/1.1 server on 127.0.0.1 for transport tests that need a server to misbehave
// on purpose (forged, tampered or oversized WinRM replies). One thread serves one
// connection at a time, as libcurl's single keep-alive connection needs.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

namespace lkr::test {

struct HttpRequest {
  std::string authorization, body;
  int connection = 0;  // counts accepted connections from 1: per-connection state resets
};

class LoopbackHttpServer {
 public:
  // `handler` writes the whole reply on `fd` (send_all) and returns false to close the
  // connection.
  using Handler = std::function<bool(const HttpRequest&, int fd)>;

  explicit LoopbackHttpServer(Handler handler) : handler_(std::move(handler)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof a;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &length) != 0 ||
        ::listen(listener_, 4) != 0)
      throw std::runtime_error("loopback HTTP server: cannot listen");
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackHttpServer() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  int port() const { return port_; }

  static bool send_all(int fd, const std::string& bytes) {
    for (size_t done = 0; done < bytes.size();) {
      ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  // "HTTP/1.1 STATUS Reason", Content-Type and Content-Length, then `body`.
  static std::string response(int status, const std::string& content_type, const std::string& body,
                              const std::string& extra_headers = "") {
    return "HTTP/1.1 " + std::to_string(status) + " Reason\r\n" +
           (content_type.empty() ? "" : "Content-Type: " + content_type + "\r\n") + extra_headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }

 private:
  void serve() {
    for (int connection = 1;; ++connection) {
      int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;  // shut down
      while (auto request = read_request(fd)) {
        request->connection = connection;
        if (!handler_(*request, fd)) break;
      }
      ::close(fd);
    }
  }

  static std::optional<HttpRequest> read_request(int fd) {
    std::string data;
    char buffer[65536];
    size_t end;
    while ((end = data.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return std::nullopt;
      data.append(buffer, static_cast<size_t>(n));
    }
    HttpRequest r;
    size_t length = 0;
    std::string head = data.substr(0, end + 2);
    for (size_t at = head.find("\r\n") + 2; at < head.size();) {
      size_t eol = head.find("\r\n", at);
      std::string line = head.substr(at, eol - at);
      at = eol + 2;
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      std::string value = line.substr(line.find_first_not_of(' ', colon + 1));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name == "content-length") length = std::stoul(value);
      if (name == "authorization") r.authorization = value;
    }
    r.body = data.substr(end + 4);
    while (r.body.size() < length) {
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return std::nullopt;
      r.body.append(buffer, static_cast<size_t>(n));
    }
    return r;
  }

  Handler handler_;
  int listener_ = -1, port_ = 0;
  std::thread thread_;
};

}  // namespace lkr::test
