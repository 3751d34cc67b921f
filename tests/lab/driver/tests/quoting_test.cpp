// cmd.exe quoting: what reaches a program's argv (as CommandLineToArgvW splits it),
// read back from the node's journal. Expected values follow cmd's and
// CommandLineToArgvW's documented rules.
#include <catch2/catch.hpp>

#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;
using nlohmann::json;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";

// The arguments after argv[0] of the last journal entry that ran ins_list.
json last_ins_list_args(const LabFixture& fx) {
  json journal = fx.dump("BENHOGAN2008")["journal"];
  for (auto it = journal.rbegin(); it != journal.rend(); ++it) {
    const json& argv = (*it)["argv"];
    if (argv.empty()) continue;
    std::string program = argv[0];
    for (char& c : program) c = static_cast<char>(tolower(c));
    if (program.find("ins_list") == std::string::npos) continue;
    return json(argv.begin() + 1, argv.end());
  }
  return json::array();
}

}  // namespace

TEST_CASE("arguments reach the program as cmd and CommandLineToArgvW pass them") {
  LabFixture fx(kSeed);
  struct Case {
    std::string command;
    json args;
  };
  const std::vector<Case> cases = {
      {R"(ins_list -t "Vol E data")", {"-t", "Vol E data"}},
      {R"(ins_list -t "say \"hi\" now")", {"-t", "say \"hi\" now"}},
      {R"(ins_list -t "A&B")", {"-t", "A&B"}},
      {R"(ins_list -t A^&B)", {"-t", "A&B"}},
      {R"(ins_list -t "A^B")", {"-t", "A^B"}},
      {R"(ins_list -t %LKROOT%\Bin)", {"-t", "C:\\LK\\Bin"}},
      {R"(ins_list -t 50%)", {"-t", "50%"}},
      {R"(ins_list -t %NO_SUCH_VARIABLE%)", {"-t", "%NO_SUCH_VARIABLE%"}},
      {R"(ins_list -t "")", {"-t", ""}},
      {R"(ins_list -t a\\"b c")", {"-t", "a\\b c"}},
      {R"(ins_list -t "x y" & hostname)", {"-t", "x y"}},
  };
  for (const auto& c : cases) {
    INFO(c.command);
    fx.ssh("BENHOGAN2008", c.command);
    CHECK(last_ins_list_args(fx) == c.args);
  }
}

TEST_CASE("& runs the second command too; && stops after a failure") {
  LabFixture fx(kSeed);
  auto both = fx.ssh("BENHOGAN2008", "hostname & hostname");
  CHECK(lab::testing::lf(both.out) == "BENHOGAN2008\nBENHOGAN2008\n");
  auto stopped = fx.ssh("BENHOGAN2008", "nosuchprogram && hostname");
  CHECK(stopped.out.find("BENHOGAN2008") == std::string::npos);
  CHECK(stopped.err.find("'nosuchprogram' is not recognized as an internal or external command") !=
        std::string::npos);
}
