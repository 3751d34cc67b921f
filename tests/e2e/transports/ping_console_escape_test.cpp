// The attack "node output can drive the terminal", through the product: a node whose
// LifeKeeper answers with a fault message holding an escape sequence that would redraw the
// line ("\x1b[2K\r" then a line of ours, "verify | ok | all good"). `lkrecover ping -vv`
// shows the node's output: it must appear escaped, while the audit trail keeps the bytes.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/lab/driver/process_runner.h"
#include "tests/lab/driver/tests/lab_fixture.h"

using Catch::Matchers::Contains;
using lab::testing::LabFixture;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kForged = "LCD busy\x1b[2K\rverify | ok | all good";

std::string events_of(const std::string& log_dir) {
  std::string text;
  for (const auto& run : std::filesystem::directory_iterator(log_dir)) {
    std::ifstream in(run.path() / "events.jsonl", std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    text += s.str();
  }
  return text;
}

}  // namespace

TEST_CASE("lkrecover ping shows a node's escape sequence escaped; the audit trail keeps it") {
  LabFixture fx(kSeed);
  auto armed = fx.lab({"fault", "BENHOGAN2008", "--command", "sys_list", "--fail", "1", "--message",
                       kForged, "--times", "1"});
  REQUIRE(armed.rc == 0);
  std::string logs = lab::testing::make_temp_dir("lkr-escape-logs");
  auto r = lab::run_process(
      {LKRECOVER_BINARY, "ping", "-vv", "-i", fx.inventory_path(), "--log-dir", logs}, 120000);
  INFO(r.out << r.err);
  std::string shown = r.out + r.err;
  CHECK_THAT(shown, Contains("LCD busy\\x1b[2K\\x0dverify | ok | all good"));
  CHECK(shown.find('\x1b') == std::string::npos);
  CHECK(shown.find('\r') == std::string::npos);
  // JSON's own escapes for the same bytes: the record is the node's answer as it was.
  CHECK_THAT(events_of(logs), Contains("LCD busy\\u001b[2K\\rverify | ok | all good"));
  lab::testing::remove_tree(logs);
}
