// The connect pacer: however many sessions connect at once, at most P handshakes run,
// whatever --forks allows; the others wait their turn.
#include "controller/connect_pacer.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "controller/console.h"
#include "controller/event_sink.h"
#include "controller/fork_limiter.h"
#include "controller/node_session.h"

using namespace lkr;

namespace {

// Handshakes in progress, the most ever seen at once, and a gate that holds every
// handshake until the test opens it.
struct Handshakes {
  std::mutex mu;
  std::condition_variable cv;
  int now = 0, most = 0, done = 0;
  bool open = false;
};

class GatedTransport : public Transport {
 public:
  explicit GatedTransport(Handshakes& h) : Transport(Shell::cmd), h_(h) {}
  void connect() override {
    std::unique_lock lock(h_.mu);
    h_.most = std::max(h_.most, ++h_.now);
    h_.cv.notify_all();
    h_.cv.wait(lock, [&] { return h_.open; });
    --h_.now;
    ++h_.done;
    h_.cv.notify_all();
  }
  CommandResult run_line(const std::string&, std::chrono::milliseconds) override { return {}; }
  void set_codepage(int) override {}
  void close() override {}

 private:
  Handshakes& h_;
};

class NullSink : public EventSink {
 public:
  void command(const CommandEvent&) override {}
  void note(const std::string&, const std::string&, const std::string&,
            const std::string&) override {}
  void intent(const std::string&, const std::string&, const std::string&,
              const std::string&) override {}
  void phase(const std::string&, const std::string&, PhaseEdge, const std::string&) override {}
  void snapshot(const std::string&, const std::string&, const std::string&,
                const std::string&) override {}
};

}  // namespace

TEST_CASE("at most P connects run at once, with forks far above P") {
  const int sessions = 24;
  const int pace = GENERATE(1, 3, 8);
  Handshakes h;
  NullSink sink;
  Console console(true, 0);
  ForkLimiter forks(sessions, pace);
  std::vector<std::unique_ptr<NodeSession>> nodes;
  for (int i = 0; i < sessions; ++i) {
    Host host;
    host.name = host.system = "N" + std::to_string(i);
    nodes.push_back(std::make_unique<NodeSession>("c", host, std::make_unique<GatedTransport>(h),
                                                  sink, console, forks, SessionSettings{}));
  }
  std::vector<std::thread> threads;
  for (auto& n : nodes) threads.emplace_back([&n] { n->connect(); });

  {
    // Every session has arrived: P are in their handshake, the rest wait at the pacer. A
    // pacer that let more through would never show this state. Joining the pacer's queue
    // notifies no one here, so the state is looked at again every few ms; the deadline is
    // only there so a broken pacer fails instead of hanging.
    std::unique_lock lock(h.mu);
    auto settled = [&] { return h.now == pace && forks.connects().waiting() == sessions - pace; };
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!settled() && std::chrono::steady_clock::now() < deadline)
      h.cv.wait_for(lock, std::chrono::milliseconds(5));
    CHECK(settled());
    CHECK(h.most == pace);
    h.open = true;
  }
  h.cv.notify_all();
  for (auto& t : threads) t.join();

  CHECK(h.done == sessions);
  CHECK(h.most == pace);
  CHECK(forks.connects().waiting() == 0);
}

TEST_CASE("the default pace comes from the machine's cores, never below the minimum") {
  int cores = static_cast<int>(std::thread::hardware_concurrency());
  int pace = default_parallel_connects();
  CHECK(pace >= kMinParallelConnects);
  if (cores * kConnectsPerCore > kMinParallelConnects) CHECK(pace == cores * kConnectsPerCore);
  CHECK(ConnectPacer(0).slots() == 1);  // a pacer always lets one through
}
