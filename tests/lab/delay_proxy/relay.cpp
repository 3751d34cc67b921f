#include "tests/lab/delay_proxy/relay.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <stdexcept>

namespace lab::delay_proxy {
namespace {

constexpr size_t kReadSize = 64 * 1024;
// Reading from a side stops while this much waits to be written to the other side (the
// bytes in flight of one direction, as a TCP window bounds them).
constexpr size_t kQueueLimit = 4 * 1024 * 1024;
// Per readiness event, so that one busy connection cannot starve the others.
constexpr size_t kReadPerEvent = 256 * 1024;

uint64_t tag(uint64_t id, uint64_t kind) { return (id << 2) | kind; }

sockaddr_in socket_address(const std::string& address, int port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1)
    throw std::runtime_error("not an IPv4 address: " + address);
  return sa;
}

std::string endpoint(const std::string& address, int port) {
  return address + ":" + std::to_string(port);
}

void set_no_delay(int fd) {
  int one = 1;  // every chunk goes out when it is due, not when Nagle allows
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Closing with SO_LINGER 0 sends a reset: the peer sees the connection fail, as the
// other side's did, rather than a clean end.
void close_fd(int fd, bool reset) {
  if (fd < 0) return;
  if (reset) {
    linger l{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  }
  close(fd);
}

timespec to_timespec(Clock::time_point t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  if (ns <= 0) ns = 1;  // an all-zero it_value would disarm the timer
  return {static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
}

}  // namespace

Relay::Relay(std::vector<Route> routes, std::chrono::microseconds one_way_delay)
    : routes_(std::move(routes)), delay_(one_way_delay) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  // steady_clock is CLOCK_MONOTONIC: the timer is armed with its time points directly.
  timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  // Kept open so that, out of descriptors, a pending connection can still be accepted
  // and refused instead of leaving its listener readable forever.
  spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (epoll_fd_ < 0 || timer_fd_ < 0 || spare_fd_ < 0)
    throw std::runtime_error(std::string("cannot set up the event loop: ") + strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = tag(0, static_cast<uint64_t>(Kind::timer));
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, timer_fd_, &ev);
}

Relay::~Relay() {
  for (auto& [id, c] : connections_) {
    close_fd(c->client.fd, false);
    close_fd(c->server.fd, false);
  }
  for (int fd : listeners_) close(fd);
  for (int fd : {epoll_fd_, timer_fd_, spare_fd_})
    if (fd >= 0) close(fd);
}

void Relay::listen() {
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in sa = socket_address(r.listen_address, r.listen_port);
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
        ::listen(fd, SOMAXCONN) != 0) {
      std::string why = strerror(errno);
      if (fd >= 0) close(fd);
      throw std::runtime_error("cannot listen on " + endpoint(r.listen_address, r.listen_port) +
                               ": " + why);
    }
    listeners_.push_back(fd);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = tag(i, static_cast<uint64_t>(Kind::listener));
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
  }
}

void Relay::run() {
  std::vector<epoll_event> events(256);
  for (;;) {
    arm_timer();
    int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("epoll_wait failed: ") + strerror(errno));
    }
    for (int i = 0; i < n; ++i)
      on_event(static_cast<Kind>(events[i].data.u64 & 3), events[i].data.u64 >> 2,
               events[i].events);
  }
}

void Relay::on_event(Kind kind, uint64_t id, uint32_t events) {
  if (kind == Kind::listener) return accept_all(static_cast<size_t>(id));
  if (kind == Kind::timer) return on_timer();
  bool client_side = kind == Kind::client;
  // Each step may close the connection (events of one batch can name a closed one).
  auto find = [&]() -> Connection* {
    auto it = connections_.find(id);
    return it == connections_.end() ? nullptr : it->second.get();
  };
  if (Connection* c = find(); c && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
    on_writable(*c, client_side);
  if (Connection* c = find(); c && (events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
    on_readable(*c, client_side);
  if (Connection* c = find()) {
    update_interest(*c);
    close_if_finished(*c);
  }
}

void Relay::accept_all(size_t route_index) {
  for (;;) {
    int fd = accept4(listeners_[route_index], nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      start_connection(fd, routes_[route_index]);
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno == EMFILE || errno == ENFILE) {
      std::fprintf(stderr, "lab-delay-proxy: out of descriptors; a connection was refused\n");
      close(spare_fd_);
      close_fd(accept(listeners_[route_index], nullptr, nullptr), true);
      spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    return;  // EAGAIN: nothing more pending
  }
}

void Relay::start_connection(int client_fd, const Route& route) {
  set_no_delay(client_fd);
  int server_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (server_fd < 0) return close_fd(client_fd, true);
  set_no_delay(server_fd);
  sockaddr_in sa = socket_address(route.target_address, route.target_port);
  int rc = connect(server_fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  if (rc != 0 && errno != EINPROGRESS) {
    std::fprintf(stderr, "lab-delay-proxy: connect to %s: %s\n",
                 endpoint(route.target_address, route.target_port).c_str(), strerror(errno));
    close_fd(server_fd, false);
    return close_fd(client_fd, true);
  }
  auto c = std::make_unique<Connection>();
  c->id = next_id_++;
  c->client.fd = client_fd;
  c->server.fd = server_fd;
  c->connected = rc == 0;
  Connection& ref = *c;
  connections_.emplace(c->id, std::move(c));
  update_interest(ref);
}

void Relay::on_readable(Connection& c, bool client_side) {
  Side& from = client_side ? c.client : c.server;
  DelayedStream& stream = client_side ? c.up : c.down;
  if (from.read_done || (!client_side && !c.connected)) return;
  char buf[kReadSize];
  for (size_t taken = 0; taken < kReadPerEvent && stream.queued_bytes() < kQueueLimit;) {
    ssize_t n = recv(from.fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n < 0) return close_connection(c.id, true);
    Clock::time_point due = Clock::now() + delay_;
    if (n == 0) {
      stream.push_end(due);
      from.read_done = true;
    } else {
      stream.push(std::string(buf, static_cast<size_t>(n)), due);
      taken += static_cast<size_t>(n);
    }
    schedule(due, c.id);
    if (n == 0) return;
  }
}

void Relay::on_writable(Connection& c, bool client_side) {
  if (!client_side && !c.connected) {
    int error = 0;
    socklen_t len = sizeof error;
    getsockopt(c.server.fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) {
      std::fprintf(stderr, "lab-delay-proxy: connect failed: %s\n", strerror(error));
      return close_connection(c.id, true);
    }
    c.connected = true;
  }
  if (client_side)
    deliver(c, c.down, c.client);
  else
    deliver(c, c.up, c.server);
}

bool Relay::deliver(Connection& c, DelayedStream& stream, Side& to) {
  if (&to == &c.server && !c.connected) return true;  // EPOLLOUT says when it is
  auto result = stream.flush(Clock::now(), [&](const char* data, size_t size) {
    return send(to.fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
  });
  to.want_write = result == DelayedStream::Flushed::blocked;
  if (result == DelayedStream::Flushed::ended) {
    shutdown(to.fd, SHUT_WR);
    to.write_done = true;
  }
  if (result == DelayedStream::Flushed::failed) {
    close_connection(c.id, true);
    return false;
  }
  return true;
}

void Relay::on_timer() {
  uint64_t expirations = 0;
  if (read(timer_fd_, &expirations, sizeof expirations) < 0 && errno != EAGAIN) return;
  armed_ = false;
  Clock::time_point now = Clock::now();
  std::set<uint64_t> ready;
  while (!due_.empty() && due_.front().first <= now) {
    ready.insert(due_.front().second);
    due_.pop_front();
  }
  for (uint64_t id : ready) {
    auto it = connections_.find(id);
    if (it == connections_.end()) continue;
    Connection& c = *it->second;
    if (!deliver(c, c.up, c.server) || !deliver(c, c.down, c.client)) continue;
    update_interest(c);
    close_if_finished(c);
  }
}

void Relay::update_interest(Connection& c) {
  uint32_t client = 0, server = 0;
  if (!c.client.read_done && c.up.queued_bytes() < kQueueLimit) client |= EPOLLIN;
  if (c.client.want_write) client |= EPOLLOUT;
  if (c.connected && !c.server.read_done && c.down.queued_bytes() < kQueueLimit) server |= EPOLLIN;
  if (!c.connected || c.server.want_write) server |= EPOLLOUT;
  register_side(c.client, client, Kind::client, c.id);
  register_side(c.server, server, Kind::server, c.id);
}

// A side is in the epoll set only while something is wanted from it: a socket whose peer
// has gone would otherwise report EPOLLHUP on every wait.
void Relay::register_side(Side& s, uint32_t events, Kind kind, uint64_t id) {
  if (events == s.registered) return;
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = tag(id, static_cast<uint64_t>(kind));
  int op = events == 0 ? EPOLL_CTL_DEL : s.registered == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  epoll_ctl(epoll_fd_, op, s.fd, &ev);
  s.registered = events;
}

void Relay::close_if_finished(Connection& c) {
  if (c.client.read_done && c.server.write_done && c.server.read_done && c.client.write_done)
    close_connection(c.id, false);
}

void Relay::close_connection(uint64_t id, bool reset) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  // Closing removes the descriptors from the epoll set.
  close_fd(it->second->client.fd, reset);
  close_fd(it->second->server.fd, reset);
  connections_.erase(it);
}

void Relay::schedule(Clock::time_point due, uint64_t id) { due_.emplace_back(due, id); }

void Relay::arm_timer() {
  if (due_.empty() || (armed_ && armed_for_ == due_.front().first)) return;
  itimerspec spec{};
  spec.it_value = to_timespec(due_.front().first);
  timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr);
  armed_for_ = due_.front().first;
  armed_ = true;
}

}  // namespace lab::delay_proxy
