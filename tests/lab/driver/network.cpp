#include "tests/lab/driver/network.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
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

namespace {

// "0100007F" (little-endian hex, as /proc/net/tcp shows 127.0.0.1) -> "127.0.0.1".
std::string dotted(const std::string& hex) {
  unsigned long v = std::stoul(hex, nullptr, 16);
  return std::to_string(v & 0xFF) + "." + std::to_string((v >> 8) & 0xFF) + "." +
         std::to_string((v >> 16) & 0xFF) + "." + std::to_string((v >> 24) & 0xFF);
}

}  // namespace

std::set<unsigned long> sockets_bound_to(const std::set<std::string>& addresses) {
  std::set<unsigned long> inodes;
  for (const char* table : {"/proc/net/tcp", "/proc/net/udp"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the column titles
    while (std::getline(in, line)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      std::istringstream fields(line);
      std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout;
      unsigned long inode = 0;
      if (!(fields >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
            timeout >> inode))
        continue;
      if (local.size() == 13 && addresses.count(dotted(local.substr(0, 8)))) inodes.insert(inode);
    }
  }
  return inodes;
}

bool holds_any_socket(int pid, const std::set<unsigned long>& inodes) {
  std::error_code ec;
  for (const auto& fd :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    std::error_code link_ec;
    std::string target = std::filesystem::read_symlink(fd.path(), link_ec).string();
    if (link_ec || !target.starts_with("socket:[")) continue;
    if (inodes.count(std::stoul(target.substr(8)))) return true;
  }
  return false;
}

}  // namespace lab
