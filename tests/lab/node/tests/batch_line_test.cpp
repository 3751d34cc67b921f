// The lab's cmd.exe runs the product's batch lines (transports/command_batch.h) as
// cmd.exe would: CALL's late expansion of %ERRORLEVEL%, `(call )` resetting it, `1>&2`,
// and the node's latency waited once per command of the line.
#include <catch2/catch.hpp>
#include <chrono>

#include "tests/lab/node/node_ops.h"
#include "tests/lab/node/tests/test_node.h"
#include "transports/command_batch.h"
#include "transports/transport.h"

using namespace lab::testing;

namespace {

struct Fixture {
  TempDir dir;
  std::string node = make_node(dir, "benhogan", benhogan(dir.path() + "/cluster"));
};

lkr::CommandResult as_result(const RunResult& r) {
  lkr::CommandResult c;
  c.exit_code = r.rc;
  c.stdout_utf8 = r.out;
  c.stderr_utf8 = r.err;
  return c;
}

const std::string kBin = "C:\\LK\\Bin\\";

}  // namespace

TEST_CASE("a batch line gives each command its own output and exit code", "[batch]") {
  Fixture f;
  std::vector<lkr::Command> commands = {
      lkr::program(kBin + "sys_list.exe", {}),
      lkr::program(kBin + "eqv_list.exe", {"-Z"}),  // an unknown option: exit 2 (E13)
      lkr::builtin("set", {"NO_SUCH_PREFIX_X"}),    // cmd's `set` with no match: exit 1
      lkr::Command{lkr::CommandKind::if_exist, "if exist", {{"C:\\LK", false}}},
      lkr::program(kBin + "no_such_tool.exe", {}),  // not found: 9009
      lkr::program(kBin + "sys_list.exe", {}),
  };
  std::vector<RunResult> alone;
  for (const auto& c : commands)
    alone.push_back(run(f.node, lkr::render_batch_line({c}, lkr::Shell::cmd, "LKR0")));
  std::string nonce = lkr::new_batch_nonce();
  RunResult whole = run(f.node, lkr::render_batch_line(commands, lkr::Shell::cmd, nonce));
  auto parts = lkr::split_batch_output(as_result(whole), commands.size(), nonce);
  REQUIRE(parts.size() == commands.size());
  // Each part as the same command printed when it ran alone.
  for (std::size_t i = 0; i < commands.size(); ++i) {
    auto single = lkr::split_batch_output(as_result(alone[i]), 1, "LKR0");
    INFO("command " << i);
    CHECK(parts[i].exit_code == single[0].exit_code);
    CHECK(parts[i].stdout_utf8 == single[0].stdout_utf8);
    CHECK(parts[i].stderr_utf8 == single[0].stderr_utf8);
  }
  CHECK(parts[0].exit_code == 0);
  CHECK(parts[1].exit_code == 2);
  CHECK(parts[2].exit_code == 1);
  CHECK(parts[3].exit_code == 0);  // `(call )` reset the 1 of `set` before it
  CHECK(parts[3].stdout_utf8 == "yes\r\n");
  CHECK(parts[4].exit_code == 9009);
  CHECK(parts[4].stderr_utf8.find("no_such_tool") != std::string::npos);
  CHECK(parts[5].stdout_utf8 == parts[0].stdout_utf8);
  CHECK(parts[5].stdout_utf8.find("BENHOGAN2008") != std::string::npos);
}

TEST_CASE("a plain %ERRORLEVEL% is expanded before the line runs; CALL's is not", "[batch]") {
  Fixture f;
  auto r = run(f.node,
               kBin + "eqv_list.exe -Z & call echo late %^ERRORLEVEL%^ & echo parsed %ERRORLEVEL%");
  CHECK(r.out.find("late 2") != std::string::npos);
  CHECK(r.out.find("parsed 0") != std::string::npos);
}

TEST_CASE("1>&2 sends a command's stdout to stderr, and only that command's", "[batch]") {
  Fixture f;
  auto r = run(f.node, "echo one 1>&2 & echo two");
  // cmd keeps the blanks before the redirection in echo's text: only blanks may follow.
  CHECK(r.err.rfind("one", 0) == 0);
  CHECK(r.err.find_first_not_of(" \r\n", 3) == std::string::npos);
  CHECK(r.out == "two\r\n");
  auto bare = run(f.node, "echo three>&2");
  CHECK(bare.err == "three\r\n");
  CHECK(bare.out.empty());
}

TEST_CASE("the node's latency is waited once per command of a batch line", "[batch]") {
  Fixture f;
  lab::set_latency(f.node, 60);
  std::vector<lkr::Command> three(3, lkr::program(kBin + "sys_list.exe", {}));
  auto timed = [&](const std::vector<lkr::Command>& cs) {
    auto t0 = std::chrono::steady_clock::now();
    run(f.node, lkr::render_batch_line(cs, lkr::Shell::cmd, lkr::new_batch_nonce()));
    return std::chrono::steady_clock::now() - t0;
  };
  // A lower bound only: three commands cannot take less than three latencies.
  CHECK(timed(three) >= std::chrono::milliseconds(180));
  CHECK(timed({three[0]}) >= std::chrono::milliseconds(60));
}
