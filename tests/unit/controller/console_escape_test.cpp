// The attack "node output can drive the terminal": a node's fault message holding escape
// sequences must appear escaped on the console, never redraw it.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "controller/console.h"
#include "controller/terminal_text.h"

using Catch::Matchers::Contains;

namespace {

// What the console writes to stderr (--json mode's human stream) while `body` runs.
std::string captured_stderr(const std::function<void(lkr::Console&)>& body) {
  auto file = std::filesystem::temp_directory_path() /
              ("lkr-console-" + std::to_string(::getpid()) + ".txt");
  std::fflush(stderr);
  int saved = ::dup(2);
  FILE* sink = std::fopen(file.c_str(), "w");
  REQUIRE(sink != nullptr);
  ::dup2(::fileno(sink), 2);
  {
    lkr::Console console(/*json_mode=*/true, /*verbosity=*/2);
    body(console);
  }
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::fclose(sink);
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove(file);
  return text.str();
}

// The terminal acts on none of these: no ESC, CR, BS, BEL, DEL or C1 left in the bytes.
bool has_terminal_controls(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0)
      return true;
  }
  return false;
}

const std::string kForged = "LCD busy\x1b[2K\rverify | ok | all good";

}  // namespace

TEST_CASE("a fault message that redraws the line is printed escaped") {
  std::string out = captured_stderr([](lkr::Console& c) {
    c.step("sql-prod", "BENHOGAN2008", "cluster-serial", lkr::StepStatus::failed,
           "lcdsync  (" + kForged + ")");
  });
  CHECK_THAT(out, Contains("LCD busy\\x1b[2K\\x0dverify | ok | all good"));
  CHECK_FALSE(has_terminal_controls(out));
}

TEST_CASE("node text is escaped in every console line, the recap included") {
  lkr::RunSummary summary;
  lkr::ClusterOutcome c;
  c.name = "sql\x1b]0;title\x07-prod";
  c.replaced = "GPLAYER\b\b\b2008";
  c.failed_step = "cluster-serial";
  c.failed_host = "BEN\x7fHOGAN";
  c.reason = kForged;
  c.next =
      "re-run\x9b"
      "2J";
  c.hosts["BENHOGAN2008\r"] = {};
  summary.clusters.push_back(c);
  std::string out = captured_stderr([&](lkr::Console& console) {
    console.cluster_line("sql-prod", "plan:\n  sys_remove\x1b[1A");
    console.line("checklist\r" + kForged);
    console.warn(kForged);
    console.error(kForged);
    console.verbose(2,
                    "stdout \x1b[31m\xc2\x9b"
                    "31m red\n");
    console.recap(summary);
  });
  CHECK_FALSE(has_terminal_controls(out));
  CHECK_THAT(out, Contains("sql\\x1b]0;title\\x07-prod"));
  CHECK_THAT(out, Contains("GPLAYER\\x08\\x08\\x082008"));
  CHECK_THAT(out, Contains("BEN\\x7fHOGAN"));
  CHECK_THAT(out, Contains("BENHOGAN2008\\x0d"));
  CHECK_THAT(out, Contains("\\u009b31m red"));
  CHECK_THAT(out, Contains("plan:\n  sys_remove\\x1b[1A"));  // lines kept, ESC not
}

TEST_CASE("terminal_safe keeps printable UTF-8 and, for free text, lines and tabs") {
  CHECK(lkr::terminal_safe("C:\\LK\\Bin  日本語 é") == "C:\\LK\\Bin  日本語 é");
  CHECK(lkr::terminal_safe("a\nb\tc") == "a\\x0ab\\x09c");
  CHECK(lkr::terminal_safe("a\nb\tc", lkr::Lines::many) == "a\nb\tc");
  CHECK(lkr::terminal_safe("\x9b"
                           "2J \xff") == "\\x9b2J \\xff");  // stray bytes
  CHECK(lkr::terminal_safe(std::string("a\0b", 3)) == "a\\x00b");
}
