// The delay proxy's event loop: one epoll set for every listener and connection of the
// lab, one timerfd for the next chunk that comes due. Every chunk read from either side
// of a connection is written to the other side `one_way_delay` after it was read, in
// order; an EOF is passed on (shutdown) the same delay later. A round trip through the
// proxy thus costs twice the delay. Nothing polls: the loop sleeps in epoll_wait until a
// socket is ready or the timer fires.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "tests/lab/delay_proxy/delayed_stream.h"
#include "tests/lab/delay_proxy/route.h"

namespace lab::delay_proxy {

class Relay {
 public:
  Relay(std::vector<Route> routes, std::chrono::microseconds one_way_delay);
  ~Relay();
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  // Binds and listens on every route's address; throws naming the route that failed.
  void listen();
  // Serves until the process is stopped (SIGTERM).
  [[noreturn]] void run();

 private:
  struct Side {
    int fd = -1;
    uint32_t registered = 0;  // the epoll events it is registered for (0: not in the set)
    bool read_done = false;   // its EOF was read
    bool write_done = false;  // the other side's EOF was passed on to it (shutdown)
    bool want_write = false;  // a due chunk waits for room in its send buffer
  };
  struct Connection {
    uint64_t id = 0;
    Side client = {}, server = {};
    DelayedStream up = {}, down = {};  // client -> server, server -> client
    bool connected = false;            // the connect to the route's target finished
  };
  enum class Kind : uint64_t { listener = 0, timer = 1, client = 2, server = 3 };

  void accept_all(size_t route_index);
  void start_connection(int client_fd, const Route& route);
  void on_event(Kind kind, uint64_t id, uint32_t events);
  void on_readable(Connection& c, bool client_side);
  void on_writable(Connection& c, bool client_side);
  void on_timer();
  // Writes what is due from `stream` to `to`; false when the connection was closed.
  bool deliver(Connection& c, DelayedStream& stream, Side& to);
  void update_interest(Connection& c);
  void register_side(Side& s, uint32_t events, Kind kind, uint64_t id);
  void close_connection(uint64_t id, bool reset);
  void close_if_finished(Connection& c);
  void schedule(Clock::time_point due, uint64_t id);
  void arm_timer();

  std::vector<Route> routes_;
  std::chrono::microseconds delay_;
  int epoll_fd_ = -1, timer_fd_ = -1, spare_fd_ = -1;
  std::vector<int> listeners_;
  std::map<uint64_t, std::unique_ptr<Connection>> connections_;
  uint64_t next_id_ = 1;
  // (due, connection id) per chunk, in due order: every chunk waits the same delay, so
  // the order they were read in is the order they come due.
  std::deque<std::pair<Clock::time_point, uint64_t>> due_;
  Clock::time_point armed_for_ = {};
  bool armed_ = false;
};

}  // namespace lab::delay_proxy
