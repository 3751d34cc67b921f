// The console on a terminal (a pseudo-terminal standing in for one): the live region is
// drawn under the lines printed for good, a finished cluster's line replaces its status
// line, and the recap comes after the region is gone; with --no-progress the same
// terminal gets plain, timestamped lines.
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>

#include "controller/console.h"

namespace {

// stdout on the slave side of a fresh pseudo-terminal (raw: "\n" stays "\n", 100x20) for
// the object's life; what was written is read from the master side.
class PseudoTerminal {
 public:
  PseudoTerminal() {
    master_ = posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master_ >= 0);
    REQUIRE(grantpt(master_) == 0);
    REQUIRE(unlockpt(master_) == 0);
    int slave = ::open(ptsname(master_), O_RDWR | O_NOCTTY);
    REQUIRE(slave >= 0);
    termios raw{};
    REQUIRE(tcgetattr(slave, &raw) == 0);
    cfmakeraw(&raw);
    REQUIRE(tcsetattr(slave, TCSANOW, &raw) == 0);
    winsize size{};
    size.ws_col = 100;
    size.ws_row = 20;
    REQUIRE(ioctl(slave, TIOCSWINSZ, &size) == 0);
    std::fflush(stdout);
    saved_ = ::dup(1);
    ::dup2(slave, 1);
    ::close(slave);
  }
  ~PseudoTerminal() {
    std::fflush(stdout);
    ::dup2(saved_, 1);
    ::close(saved_);
    ::close(master_);
  }
  PseudoTerminal(const PseudoTerminal&) = delete;
  PseudoTerminal& operator=(const PseudoTerminal&) = delete;

  // Everything written so far (what is in the master's buffer now).
  std::string drain() {
    std::fflush(stdout);
    std::string out;
    char buf[4096];
    pollfd p{master_, POLLIN, 0};
    while (::poll(&p, 1, 100) > 0 && (p.revents & POLLIN)) {
      ssize_t n = ::read(master_, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  int master_ = -1, saved_ = -1;
};

lkr::ClusterOutcome finished_erp() {
  lkr::ClusterOutcome o;
  o.name = "erp";
  o.replaced = "CHARLIE";
  o.status = lkr::ClusterStatus::changed;
  o.hosts["ALPHA"].add("equivalencies", lkr::StepStatus::changed);
  o.checklist = {"extend IP-ERP-APP to CHARLIE"};
  return o;
}

}  // namespace

TEST_CASE("on a terminal the status lines stay under the lines printed for good") {
  PseudoTerminal tty;
  ::setenv("NO_COLOR", "1", 1);  // the recap's columns compared as plain text
  std::string out;
  {
    lkr::Console console(/*json_mode=*/false, /*verbosity=*/0, /*progress=*/true);
    console.cluster_started("erp");
    console.phase("erp", "equivalencies", 2);
    console.command_started("erp", "ALPHA", "eqv_remove -d ALPHA");
    console.line("first");
    out = tty.drain();
    // The permanent line, then the region under it (cursor below its last row); the
    // ticker may have drawn it again meanwhile, in place.
    const std::string status =
        "\\[erp\\] phase equivalencies  hosts 0/2  elapsed 0:0\\d  in flight on ALPHA "
        "\\(\\d\\.\\ds\\): eqv_remove -d ALPHA\n";
    CHECK(std::regex_search(
        out, std::regex("first\n" + status + "(\r\033\\[1A\033\\[J" + status + ")*$")));
    CHECK(out.find("first") == out.rfind("first"));  // printed once, never redrawn
    console.command_ended("erp", "ALPHA", "equivalencies", lkr::StepStatus::changed,
                          "eqv_remove -d ALPHA", std::chrono::milliseconds(10), true);
    console.cluster_done(finished_erp());
    out = tty.drain();
    // The change line goes above the region; then the region (one row) is erased and the
    // cluster's collapsed line takes its place, nothing drawn under it.
    CHECK(out.find("\r\033[1A\033[J[erp] ALPHA | equivalencies | ") != std::string::npos);
    CHECK(std::regex_search(
        out, std::regex("\r\033\\[1A\033\\[J\\[erp\\] finished: changed, 1 change\\(s\\) on 1 "
                        "host\\(s\\), 0:0\\d\n$")));
    lkr::RunSummary summary;
    summary.clusters.push_back(finished_erp());
    console.recap(summary);
    out = tty.drain();
  }
  ::unsetenv("NO_COLOR");
  // No region left to erase: the checklist, then the recap, plainly.
  CHECK(out.find('\033') == std::string::npos);
  CHECK(out.find("[erp] Re-extension checklist") < out.find("PLAY RECAP"));
  CHECK(out.find("  ALPHA : ok=0  changed=1") != std::string::npos);
}

TEST_CASE("with --no-progress a terminal gets plain lines with the time") {
  PseudoTerminal tty;
  std::string out;
  {
    lkr::Console console(false, 0, /*progress=*/false);
    console.cluster_started("erp");
    console.phase("erp", "equivalencies", 2);
    console.line("first");
  }
  out = tty.drain();
  CHECK(std::regex_match(out, std::regex("\\d\\d:\\d\\d:\\d\\d \\[erp\\] phase equivalencies: 2 "
                                         "host\\(s\\)\n\\d\\d:\\d\\d:\\d\\d first\n")));
}
