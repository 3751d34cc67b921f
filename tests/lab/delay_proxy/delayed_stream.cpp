#include "tests/lab/delay_proxy/delayed_stream.h"

#include <cerrno>
#include <stdexcept>

namespace lab::delay_proxy {

void DelayedStream::push(std::string bytes, Clock::time_point due) {
  if (end_pushed_) throw std::logic_error("bytes pushed after the end of the stream");
  if (bytes.empty()) return;
  queued_bytes_ += bytes.size();
  chunks_.push_back({std::move(bytes), due, false});
}

void DelayedStream::push_end(Clock::time_point due) {
  if (end_pushed_) return;
  end_pushed_ = true;
  chunks_.push_back({"", due, true});
}

DelayedStream::Flushed DelayedStream::flush(Clock::time_point now, const Writer& write) {
  while (!chunks_.empty() && chunks_.front().due <= now) {
    Chunk& front = chunks_.front();
    if (front.end) {
      chunks_.pop_front();
      return Flushed::ended;
    }
    size_t left = front.bytes.size() - written_of_front_;
    ssize_t n = write(front.bytes.data() + written_of_front_, left);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? Flushed::blocked : Flushed::failed;
    written_of_front_ += static_cast<size_t>(n);
    queued_bytes_ -= static_cast<size_t>(n);
    if (static_cast<size_t>(n) < left) return Flushed::blocked;
    chunks_.pop_front();
    written_of_front_ = 0;
  }
  return Flushed::waiting;
}

}  // namespace lab::delay_proxy
