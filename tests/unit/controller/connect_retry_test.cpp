// NodeSession::connect() against a transport whose connect() fails a given number of
// times: transient failures (nothing was sent) are retried, each retry a note in the
// audit trail, a bounded number of times; a refused login, host key or protocol error
// is not retried.
#include "controller/connect_retry.h"

#include <catch2/catch.hpp>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "controller/console.h"
#include "controller/event_sink.h"
#include "controller/fork_limiter.h"
#include "controller/node_session.h"

using namespace lkr;
using Kind = TransportError::Kind;

namespace {

// Fails connect() with each of `failures` in turn, then connects.
class FlakyTransport : public Transport {
 public:
  explicit FlakyTransport(std::deque<TransportError> failures)
      : Transport(Shell::cmd), failures_(std::move(failures)) {}
  void connect() override {
    ++attempts;
    if (failures_.empty()) return;
    TransportError next = failures_.front();
    failures_.pop_front();
    throw next;
  }
  CommandResult run_line(const std::string&, std::chrono::milliseconds) override { return {}; }
  void set_codepage(int) override {}
  void close() override {}
  int attempts = 0;

 private:
  std::deque<TransportError> failures_;
};

// The notes of the trail; commands are not expected here.
class NoteSink : public EventSink {
 public:
  void command(const CommandEvent&) override { ++commands; }
  void note(const std::string&, const std::string& host, const std::string& step,
            const std::string& text) override {
    std::lock_guard lock(mu_);
    notes.push_back(host + "|" + step + "|" + text);
  }
  void intent(const std::string&, const std::string&, const std::string&,
              const std::string&) override {}
  void phase(const std::string&, const std::string&, PhaseEdge, const std::string&) override {}
  void snapshot(const std::string&, const std::string&, const std::string&,
                const std::string&) override {}
  std::vector<std::string> retry_notes() const {
    std::vector<std::string> out;
    for (const auto& n : notes)
      if (n.find("|connect|connect attempt ") != std::string::npos) out.push_back(n);
    return out;
  }
  std::vector<std::string> notes;
  int commands = 0;

 private:
  std::mutex mu_;
};

// No waiting between attempts: the delays are retry_delay's business, tested apart.
ConnectRetry immediate(int attempts) {
  ConnectRetry r;
  r.attempts = attempts;
  r.first_delay = r.max_delay = std::chrono::milliseconds(0);
  return r;
}

struct Fixture {
  NoteSink sink;
  Console console{true, 0};
  ForkLimiter forks{4, 4};
  FlakyTransport* transport = nullptr;

  std::unique_ptr<NodeSession> session(std::deque<TransportError> failures, int attempts) {
    auto t = std::make_unique<FlakyTransport>(std::move(failures));
    transport = t.get();
    Host h;
    h.name = h.system = "NODE1";
    h.address = "127.0.0.1";
    SessionSettings settings;
    settings.connect_retry = immediate(attempts);
    return std::make_unique<NodeSession>("c1", h, std::move(t), sink, console, forks, settings);
  }
};

}  // namespace

TEST_CASE("connect failures before anything was sent are retried, each retry on record") {
  Kind kind = GENERATE(Kind::unreachable, Kind::timeout, Kind::dropped);
  int failures = GENERATE(1, 2);
  Fixture f;
  std::deque<TransportError> fails;
  for (int i = 0; i < failures; ++i)
    fails.emplace_back(kind, "cannot connect to 127.0.0.1:22: attempt " + std::to_string(i + 1));
  auto s = f.session(fails, 3);

  REQUIRE_NOTHROW(s->connect());
  CHECK(f.transport->attempts == failures + 1);
  auto notes = f.sink.retry_notes();
  REQUIRE(static_cast<int>(notes.size()) == failures);
  for (int i = 0; i < failures; ++i) {
    CAPTURE(notes[i]);
    CHECK(notes[i].find("connect attempt " + std::to_string(i + 1) + " of 3 failed") !=
          std::string::npos);
    // The note carries the transport's own reason.
    CHECK(notes[i].find("attempt " + std::to_string(i + 1) + ")") != std::string::npos);
  }
  CHECK(s->tally().unreachable == 0);
  CHECK(f.sink.commands == 0);
  // Connected once: a second call does not connect again.
  s->connect();
  CHECK(f.transport->attempts == failures + 1);
}

TEST_CASE("a refused login, host key or protocol error is never retried") {
  Kind kind = GENERATE(Kind::auth, Kind::host_key, Kind::protocol);
  Fixture f;
  auto s = f.session({TransportError(kind, "refused by the node")}, 3);

  try {
    s->connect();
    FAIL("connect() succeeded");
  } catch (const StepFailure& e) {
    CHECK(e.unreachable);
    CHECK(std::string(e.what()) == "refused by the node");
  }
  CHECK(f.transport->attempts == 1);
  CHECK(f.sink.retry_notes().empty());
  CHECK(s->tally().unreachable == 1);
}

TEST_CASE("the attempts are bounded; the last failure says how many were made") {
  int attempts = GENERATE(1, 2, 4);
  Fixture f;
  std::deque<TransportError> fails(10, TransportError(Kind::unreachable, "connection refused"));
  auto s = f.session(fails, attempts);

  try {
    s->connect();
    FAIL("connect() succeeded");
  } catch (const StepFailure& e) {
    CHECK(e.unreachable);
    std::string why = e.what();
    CAPTURE(why);
    if (attempts > 1) {
      CHECK(why.find("gave up after " + std::to_string(attempts) + " attempts") !=
            std::string::npos);
    } else {
      CHECK(why == "connection refused");
    }
  }
  CHECK(f.transport->attempts == attempts);
  CHECK(static_cast<int>(f.sink.retry_notes().size()) == attempts - 1);
  // Once given up, the node is not tried again in this run.
  CHECK_THROWS_AS(s->connect(), StepFailure);
  CHECK(f.transport->attempts == attempts);
}

TEST_CASE("a transient failure after a non-transient one is not reached") {
  Fixture f;
  auto s = f.session({TransportError(Kind::timeout, "no answer"),
                      TransportError(Kind::auth, "authentication failed")},
                     5);
  CHECK_THROWS_AS(s->connect(), StepFailure);
  CHECK(f.transport->attempts == 2);
  CHECK(f.sink.retry_notes().size() == 1);
}

TEST_CASE("retry delays double from the first one, up to the cap") {
  ConnectRetry r;
  r.attempts = 6;
  r.first_delay = std::chrono::milliseconds(1500);
  r.max_delay = std::chrono::milliseconds(5000);
  CHECK(retry_delay(r, 2) == r.first_delay);
  CHECK(retry_delay(r, 3) == 2 * r.first_delay);
  CHECK(retry_delay(r, 4) == r.max_delay);
  CHECK(retry_delay(r, 5) == r.max_delay);
  CHECK(delay_text(std::chrono::milliseconds(2000)) == "2 s");
  CHECK(delay_text(std::chrono::milliseconds(1500)) == "1500 ms");
}

TEST_CASE("which failures are transient") {
  CHECK(transient(TransportError(Kind::unreachable, "")));
  CHECK(transient(TransportError(Kind::timeout, "")));
  CHECK(transient(TransportError(Kind::dropped, "")));
  CHECK_FALSE(transient(TransportError(Kind::auth, "")));
  CHECK_FALSE(transient(TransportError(Kind::host_key, "")));
  CHECK_FALSE(transient(TransportError(Kind::protocol, "")));
}
