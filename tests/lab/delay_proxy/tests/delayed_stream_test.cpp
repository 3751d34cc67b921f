// One direction of the proxy: chunks leave in the order they came, none before its time,
// and a short write continues where it stopped.
#include "tests/lab/delay_proxy/delayed_stream.h"

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <string>

using lab::delay_proxy::Clock;
using lab::delay_proxy::DelayedStream;
using namespace std::chrono_literals;

namespace {

// A writer that takes at most `room` bytes per call and records what it took.
struct FakeSocket {
  std::string received;
  size_t room = 1 << 20;
  int fail_errno = 0;
  DelayedStream::Writer writer() {
    return [this](const char* data, size_t size) -> ssize_t {
      if (fail_errno) {
        errno = fail_errno;
        return -1;
      }
      if (room == 0) {
        errno = EAGAIN;
        return -1;
      }
      size_t n = std::min(size, room);
      received.append(data, n);
      room -= n;
      return static_cast<ssize_t>(n);
    };
  }
};

}  // namespace

TEST_CASE("a chunk is written only once its due time has come, in the order pushed") {
  DelayedStream s;
  FakeSocket out;
  auto t0 = Clock::time_point{} + 1h;
  s.push("first ", t0 + 10ms);
  s.push("second ", t0 + 20ms);
  s.push("third", t0 + 30ms);
  CHECK(s.queued_bytes() == 18);
  CHECK(s.flush(t0 + 9ms, out.writer()) == DelayedStream::Flushed::waiting);
  CHECK(out.received.empty());
  CHECK(s.flush(t0 + 20ms, out.writer()) == DelayedStream::Flushed::waiting);
  CHECK(out.received == "first second ");
  CHECK(s.queued_bytes() == 5);
  CHECK(s.flush(t0 + 1s, out.writer()) == DelayedStream::Flushed::waiting);
  CHECK(out.received == "first second third");
  CHECK(s.empty());
}

TEST_CASE("a short write resumes in the middle of the chunk") {
  DelayedStream s;
  FakeSocket out;
  out.room = 4;
  auto t0 = Clock::time_point{} + 1h;
  s.push("abcdefgh", t0);
  s.push("ij", t0);
  CHECK(s.flush(t0, out.writer()) == DelayedStream::Flushed::blocked);
  CHECK(out.received == "abcd");
  CHECK(s.flush(t0, out.writer()) == DelayedStream::Flushed::blocked);  // EAGAIN
  out.room = 5;
  CHECK(s.flush(t0, out.writer()) == DelayedStream::Flushed::blocked);
  CHECK(out.received == "abcdefghi");
  out.room = 100;
  CHECK(s.flush(t0, out.writer()) == DelayedStream::Flushed::waiting);
  CHECK(out.received == "abcdefghij");
  CHECK(s.queued_bytes() == 0);
}

TEST_CASE("the end of the stream comes due after the bytes before it") {
  DelayedStream s;
  FakeSocket out;
  auto t0 = Clock::time_point{} + 1h;
  s.push("last words", t0);
  s.push_end(t0 + 5ms);
  CHECK(s.end_pushed());
  CHECK(s.flush(t0 + 4ms, out.writer()) == DelayedStream::Flushed::waiting);
  CHECK(out.received == "last words");
  CHECK(s.flush(t0 + 5ms, out.writer()) == DelayedStream::Flushed::ended);
  CHECK(s.empty());
  CHECK_THROWS(s.push("more", t0 + 6ms));
}

TEST_CASE("a writer's error other than EAGAIN fails the stream and keeps the bytes") {
  DelayedStream s;
  FakeSocket out;
  out.fail_errno = EPIPE;
  auto t0 = Clock::time_point{} + 1h;
  s.push("lost", t0);
  CHECK(s.flush(t0, out.writer()) == DelayedStream::Flushed::failed);
  CHECK(s.queued_bytes() == 4);
}
