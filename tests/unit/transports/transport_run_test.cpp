// Transport::run: a Command is rendered for the connection's shell, and a Command the
// shell cannot carry is refused before the transport sees any line.
#include <catch2/catch.hpp>

#include "transports/cmd_quoting.h"
#include "transports/powershell_quoting.h"
#include "transports/transport.h"

namespace {

// Records the lines it is asked to run; runs nothing.
class RecordingTransport : public lkr::Transport {
 public:
  explicit RecordingTransport(lkr::Shell shell) : Transport(shell) {}
  void connect() override {}
  void set_codepage(int) override {}
  void close() override {}
  std::vector<std::string> lines;

 protected:
  lkr::CommandResult run_line(const std::string& line, std::chrono::milliseconds) override {
    lines.push_back(line);
    lkr::CommandResult r;
    r.exit_code = 0;
    return r;
  }
};

const lkr::Command kList = lkr::program("C:\\LK\\Bin\\eqv_list.exe", {"-f\t"});

}  // namespace

TEST_CASE("a Command reaches the transport rendered for its shell") {
  RecordingTransport cmd(lkr::Shell::cmd);
  cmd.run(kList, std::chrono::seconds(1));
  RecordingTransport powershell(lkr::Shell::powershell);
  powershell.run(kList, std::chrono::seconds(1));
  CHECK(cmd.lines == std::vector<std::string>{lkr::render_cmd_line(kList)});
  CHECK(powershell.lines == std::vector<std::string>{lkr::render_powershell_line(kList)});
}

TEST_CASE("a line past the shell's limit is refused before the transport gets it") {
  // cmd.exe: 8191 UTF-16 units. `p ` and 8189 more fit; one more does not.
  RecordingTransport cmd(lkr::Shell::cmd);
  CHECK_NOTHROW(cmd.run(lkr::program("p", {std::string(8189, 'a')}), std::chrono::seconds(1)));
  CHECK_THROWS_AS(cmd.run(lkr::program("p", {std::string(8190, 'a')}), std::chrono::seconds(1)),
                  std::invalid_argument);
  // Counted in UTF-16 units, not bytes: an emoji (4 UTF-8 bytes) is 2 units.
  std::string emoji = "\xF0\x9F\x98\x80";
  std::string emojis;
  for (int i = 0; i < 4094; ++i) emojis += emoji;  // 8188 units
  CHECK_NOTHROW(cmd.run(lkr::program("p", {emojis + "a"}), std::chrono::seconds(1)));
  CHECK_THROWS_AS(cmd.run(lkr::program("p", {emojis + "ab"}), std::chrono::seconds(1)),
                  std::invalid_argument);
  CHECK(cmd.lines.size() == 2);
  // PowerShell: CreateProcess's 32767 for the whole process command line.
  RecordingTransport powershell(lkr::Shell::powershell);
  CHECK_THROWS_AS(
      powershell.run(lkr::program("p", {std::string(20000, 'a')}), std::chrono::seconds(1)),
      std::invalid_argument);
  CHECK(powershell.lines.empty());
}
