// One direction of a proxied connection: the bytes read from one side, each chunk held
// until its due time, then written to the other side in the order they were read.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <string>

namespace lab::delay_proxy {

using Clock = std::chrono::steady_clock;

class DelayedStream {
 public:
  // What flush() stopped at.
  enum class Flushed {
    waiting,  // everything due was written; what is left is not due yet (or nothing is left)
    blocked,  // the writer took less than offered: wait until the other side can take more
    ended,    // the end of the stream (the reader's EOF) came due: shut the other side down
    failed,   // the writer failed (errno says why)
  };
  // Writes up to `size` bytes; returns how many it took, or -1 (EAGAIN/EWOULDBLOCK:
  // blocked, anything else: failed).
  using Writer = std::function<ssize_t(const char* data, size_t size)>;

  void push(std::string bytes, Clock::time_point due);
  void push_end(Clock::time_point due);  // EOF: nothing is pushed after it

  // Writes every chunk due at `now`, in order, until one of the Flushed states.
  Flushed flush(Clock::time_point now, const Writer& write);

  size_t queued_bytes() const { return queued_bytes_; }
  bool end_pushed() const { return end_pushed_; }
  bool empty() const { return chunks_.empty(); }

 private:
  struct Chunk {
    std::string bytes;  // empty with `end`: the EOF marker
    Clock::time_point due;
    bool end = false;
  };
  std::deque<Chunk> chunks_;
  size_t written_of_front_ = 0;
  size_t queued_bytes_ = 0;
  bool end_pushed_ = false;
};

}  // namespace lab::delay_proxy
