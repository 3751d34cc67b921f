#include "tests/lab/driver/network.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lab {
namespace {

sockaddr_in socket_address(const std::string& address, int port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1)
    throw std::runtime_error("not an IPv4 address: " + address);
  return sa;
}

class Socket {
 public:
  Socket() : fd_(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::runtime_error("socket failed");
  }
  ~Socket() { close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string bind_problem(const std::string& address, int port) {
  Socket s;
  // As sshd does: a port in TIME_WAIT from an earlier lab is free, a listener is not.
  int one = 1;
  setsockopt(s.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in sa = socket_address(address, port);
  if (bind(s.fd(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return strerror(errno);
  if (listen(s.fd(), 1) != 0) return strerror(errno);
  return "";
}

int pick_free_port(const std::string& address) {
  Socket s;
  sockaddr_in sa = socket_address(address, 0);
  socklen_t len = sizeof sa;
  if (bind(s.fd(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
      getsockname(s.fd(), reinterpret_cast<sockaddr*>(&sa), &len) != 0)
    throw std::runtime_error("no free port on " + address + ": " + strerror(errno));
  return ntohs(sa.sin_port);
}

bool accepts_connections(const std::string& address, int port) {
  Socket s;
  sockaddr_in sa = socket_address(address, port);
  return connect(s.fd(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
}

}  // namespace lab
