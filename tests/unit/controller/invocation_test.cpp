// Each command event carries the line it travelled in (its invocation) with the round
// trips the transport counted across that line, and the host's totals in run.json's shape
// add up the events'. The transport here is a stand-in whose round trips the test sets,
// so every expected value comes from the test's own choices.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <vector>

#include "controller/console.h"
#include "controller/event_sink.h"
#include "controller/fork_limiter.h"
#include "controller/node_session.h"
#include "controller/summary_json.h"

using namespace lkr;

namespace {

// A node that answers every line at once; each line costs what the test queued, and a
// line queued as "drop" breaks the connection after costing its round trips.
class CountingTransport : public Transport {
 public:
  explicit CountingTransport(long long connect_cost)
      : Transport(Shell::cmd), connect_(connect_cost) {}
  void connect() override { trips_ += connect_; }
  CommandResult run_line(const std::string&, std::chrono::milliseconds) override {
    Line line = lines_.at(next_++);
    trips_ += line.cost;
    if (line.drop) throw TransportError(TransportError::Kind::dropped, "connection dropped");
    CommandResult r;
    r.exit_code = 0;
    r.start = r.end = std::chrono::system_clock::now();
    return r;
  }
  void set_codepage(int) override {}
  void close() override {}
  long long round_trips() const override { return trips_; }

  struct Line {
    long long cost = 0;
    bool drop = false;
  };
  std::vector<Line> lines_;

 private:
  long long connect_, trips_ = 0;
  size_t next_ = 0;
};

class EventList : public EventSink {
 public:
  void command(const CommandEvent& e) override { events.push_back(e); }
  void note(const std::string&, const std::string&, const std::string&,
            const std::string&) override {}
  void intent(const std::string&, const std::string&, const std::string&,
              const std::string&) override {}
  void phase(const std::string&, const std::string&, PhaseEdge, const std::string&) override {}
  void snapshot(const std::string&, const std::string&, const std::string&,
                const std::string&) override {}
  std::vector<CommandEvent> events;
};

struct Fixture {
  EventList sink;
  Console console{true, 0};
  ForkLimiter forks{1};
  CountingTransport* transport = nullptr;
  std::unique_ptr<NodeSession> session;

  Fixture(long long connect_cost, std::vector<CountingTransport::Line> lines) {
    auto t = std::make_unique<CountingTransport>(connect_cost);
    t->lines_ = std::move(lines);
    transport = t.get();
    Host h;
    h.name = h.system = h.address = "NODE1";
    session = std::make_unique<NodeSession>("c1", h, std::move(t), sink, console, forks,
                                            SessionSettings{});
    session->connect();
  }
};

const Command kRead = program("C:\\Windows\\System32\\hostname.exe", {});

}  // namespace

TEST_CASE("every command sent gets its own line's id and the round trips of that line",
          "[controller][round-trips]") {
  const std::vector<long long> costs = {2, 1, 1, 5};
  std::vector<CountingTransport::Line> lines;
  for (long long c : costs) lines.push_back({c, false});
  Fixture f(7, lines);
  for (size_t i = 0; i < costs.size(); ++i) f.session->read("facts", kRead);

  REQUIRE(f.sink.events.size() == costs.size());
  std::set<std::string> ids;
  for (size_t i = 0; i < costs.size(); ++i) {
    const Invocation& line = f.sink.events[i].invocation;
    CHECK(line.id == "NODE1#" + std::to_string(i + 1));
    CHECK(line.index == 0);
    CHECK(line.size == 1);
    CHECK(line.round_trips == costs[i]);
    ids.insert(line.id);
  }
  CHECK(ids.size() == costs.size());
  const HostTally& t = f.session->tally();
  CHECK(t.invocations == static_cast<long long>(costs.size()));
  CHECK(t.round_trips == 2 + 1 + 1 + 5);
  CHECK(t.connect_round_trips == 7);  // the handshake is the host's, not a line's
}

TEST_CASE("a line whose connection broke still records what it waited for",
          "[controller][round-trips]") {
  Fixture f(3, {{2, false}, {4, true}});
  f.session->read("facts", kRead);
  CHECK_THROWS_AS(f.session->read("facts", kRead), StepFailure);

  REQUIRE(f.sink.events.size() == 2);
  const CommandEvent& lost = f.sink.events[1];
  CHECK(lost.status == StepStatus::unreachable);
  CHECK(lost.invocation.id == "NODE1#2");
  CHECK(lost.invocation.round_trips == 4);
  CHECK(f.session->tally().round_trips == 2 + 4);
  CHECK(f.session->tally().invocations == 2);
}

TEST_CASE("a command never sent gets no invocation and costs the host nothing",
          "[controller][round-trips]") {
  Fixture f(3, {{2, false}});
  // A NUL can travel in no command line: refused before anything is sent.
  Command unsendable = program("C:\\x.exe", {std::string("a\0b", 3)});
  CHECK_THROWS_AS(f.session->read("facts", unsendable), StepFailure);
  f.session->read("facts", kRead);

  REQUIRE(f.sink.events.size() == 2);
  CHECK(f.sink.events[0].invocation.id.empty());
  CHECK(f.sink.events[1].invocation.id == "NODE1#1");
  CHECK(f.session->tally().invocations == 1);
  CHECK(f.session->tally().round_trips == 2);
}

TEST_CASE("run.json's hosts and totals carry the round trips", "[controller][round-trips]") {
  ClusterOutcome c;
  c.name = "c1";
  c.hosts["A"].invocations = 4;
  c.hosts["A"].round_trips = 9;
  c.hosts["A"].connect_round_trips = 5;
  c.hosts["B"].invocations = 2;
  c.hosts["B"].round_trips = 6;
  c.hosts["B"].connect_round_trips = 4;
  auto clusters = clusters_json({c});
  CHECK(clusters[0]["hosts"]["A"]["invocations"] == 4);
  CHECK(clusters[0]["hosts"]["A"]["round_trips"] == 9);
  CHECK(clusters[0]["hosts"]["B"]["connect_round_trips"] == 4);
  auto totals = totals_json({c});
  CHECK(totals["invocations"] == 4 + 2);
  CHECK(totals["round_trips"] == 9 + 6);
  CHECK(totals["connect_round_trips"] == 5 + 4);
}
