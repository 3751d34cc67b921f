// The runbook's sample outputs (RUNBOOK.md), reproduced through real sshd byte for
// byte, modulo CRLF, on the seed cluster, in the public record's formats
// (docs/record-formats.md: Ctrl-A separators, E1; the install folders from the
// environment, E3, E9).
#include <algorithm>
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;
using lab::testing::lf;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
// As the runbook runs it: from DataKeeper's folder. (A quoted "%ExtMirrBase%\emcmd"
// as the first word would lose its quotes to cmd /c's quote rule.)
const std::string kEmcmd = "cd /d \"%ExtMirrBase%\" && emcmd";
const std::string kJobKey =
    "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\"
    "e829700c-27b0-447f-b852-1a3135da31a7";

// Runs of blanks become one: the runbook's `dir` line is printed with them collapsed.
std::string squeeze_blanks(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!(c == ' ' && !out.empty() && out.back() == ' ')) out += c;
  return out;
}

// Trailing blanks removed per line: markdown (the runbook's medium) cannot show them.
std::string trim_line_ends(const std::string& s) {
  std::istringstream in(s);
  std::string line, out;
  while (std::getline(in, line)) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("eqv_list prints the runbook's two equivalencies, Ctrl-A between fields") {
  LabFixture fx(kSeed);
  const std::string sample =
      "BENHOGAN2008 LK1-BENHOGAN2K8 GPLAYER2008 LK1-BENHOGAN2K8 SHARED 1 10\n"
      "BENHOGAN2008 Vol.E GPLAYER2008 Vol.E SHARED 1 10\n";
  auto r = fx.ssh("BENHOGAN2008", "eqv_list");
  CHECK(r.rc == 0);
  CHECK(r.out.find("\r\n") != std::string::npos);
  std::string with_ctrl_a = sample;
  std::replace(with_ctrl_a.begin(), with_ctrl_a.end(), ' ', '\x01');
  CHECK(lf(r.out) == with_ctrl_a);
  CHECK(lf(fx.ssh("BENHOGAN2008", "eqv_list -f \" \"").out) == sample);
}

TEST_CASE("net_list, net_remove and ins_list as the record shows them (E1, E3-E5, E8)") {
  LabFixture fx(kSeed);
  auto net = fx.ssh("BENHOGAN2008", "net_list -f#");
  CHECK(net.rc == 0);
  CHECK(lf(net.out) == "GPLAYER2008#10.200.8.25/10.200.8.26#TCPIP:1500#DEAD#1\n");
  CHECK(fx.ssh("BENHOGAN2008", "net_remove -d BENHOGAN2008 -S GPLAYER2008 -D TCPIP:1500").rc == 2);
  CHECK(fx.ssh("BENHOGAN2008", "net_remove -d GPLAYER2008 -s BENHOGAN2008 -D TCPIP:1500").rc == 9);
  CHECK(fx.ssh("BENHOGAN2008",
               "net_remove -d BENHOGAN2008 -s GPLAYER2008 -D TCPIP:1500 -r 10.200.8.26 -l "
               "10.200.8.25")
            .rc == 0);
  auto empty = fx.ssh("BENHOGAN2008", "net_list");
  CHECK(empty.out.empty());
  CHECK(empty.rc == 7);
  auto vol = fx.ssh("BENHOGAN2008", "ins_list -f# -i E:");
  CHECK(vol.rc == 0);
  auto fields = lf(vol.out);
  CHECK(fields.rfind("filesys#volume#Vol.E#E:#", 0) == 0);
  CHECK(fields.find("#ISP#") != std::string::npos);
  CHECK(lf(fx.ssh("GPLAYER2008", "sys_list").out) == "GPLAYER2008\n");
  auto fresh = fx.ssh("GPLAYER2008", "ins_list");
  CHECK(fresh.out.empty());
  CHECK(fresh.rc == 7);
}

TEST_CASE("set LK and set ExtMirrBase name the install folders; the programs are there") {
  LabFixture fx(kSeed);
  auto lk = fx.ssh("BENHOGAN2008", "set LK");
  CHECK(lk.rc == 0);
  CHECK(lf(lk.out) == "LKBIN=C:\\LK\\Bin\nLKROOT=C:\\LK\n");
  CHECK(lf(fx.ssh("GPLAYER2008", "set ExtMirrBase").out) ==
        "ExtMirrBase=C:\\Program Files\\SIOS\\DataKeeper\n");
  auto none = fx.ssh("BENHOGAN2008", "set LKX");
  CHECK(none.rc == 1);
  CHECK(lf(none.err) == "Environment variable LKX not defined\n");
  for (const char* program :
       {"%ExtMirrBase%\\emcmd.exe", "%LKBIN%\\eqv_list.exe", "%LKBIN%\\net_remove.exe"}) {
    INFO(program);
    CHECK(lf(fx.ssh("GPLAYER2008",
                    std::string("if exist \"") + program + "\" (echo yes) else (echo no)")
                 .out) == "yes\n");
  }
}

TEST_CASE("sys_list prints both systems on the survivor, only itself on the new node") {
  LabFixture fx(kSeed);
  auto r = fx.ssh("BENHOGAN2008", "sys_list");
  CHECK(r.rc == 0);
  CHECK(lf(r.out) == "BENHOGAN2008\nGPLAYER2008\n");
  CHECK(lf(fx.ssh("GPLAYER2008", "sys_list").out) == "GPLAYER2008\n");
}

TEST_CASE("getjobinfoforvol, then the registry delete and the Status = 0 lines") {
  LabFixture fx(kSeed);
  auto info = fx.ssh("BENHOGAN2008", kEmcmd + " . getjobinfoforvol E");
  CHECK(info.rc == 0);
  CHECK(trim_line_ends(lf(info.out)) ==
        "ID = e829700c-27b0-447f-b852-1a3135da31a7\n"
        "Name = E Vol\n"
        "Description =\n"
        "MirrorEndPoints = BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A\n");
  CHECK(fx.ssh("BENHOGAN2008", "reg delete " + kJobKey + " /f").rc == 0);
  CHECK(fx.ssh("BENHOGAN2008", kEmcmd + " . getjobinfoforvol E").out.empty());
  auto local_only = fx.ssh("BENHOGAN2008", kEmcmd + " . deletelocalmirroronly E");
  CHECK(lf(local_only.out) == "Status = 0\n");
  auto clear = fx.ssh("BENHOGAN2008", kEmcmd + " . clearswitchover E");
  CHECK(lf(clear.out) == "Status = 0\n");
}

TEST_CASE("getmirrorvolinfo: the broken mirror toward the lost node, Status = 15 without") {
  LabFixture fx(kSeed);
  auto e = fx.ssh("BENHOGAN2008", kEmcmd + " . getmirrorvolinfo E");
  CHECK(e.rc == 0);
  CHECK(lf(e.out) == "E: 1 GPLAYER2008 10.200.8.26 3\n");  // E10, 3 broken (E11)
  auto fresh = fx.ssh("GPLAYER2008", kEmcmd + " . getmirrorvolinfo E");
  CHECK(lf(fresh.out) == "Status = 15\n");  // E12
  CHECK(fresh.rc == 15);
}

TEST_CASE("sys_remove of the local system fails with error 424") {
  LabFixture fx(kSeed);
  auto r = fx.ssh("BENHOGAN2008", "sys_remove -s BENHOGAN2008");
  CHECK(r.rc == 1);
  std::string text = lf(r.out + r.err);
  std::string masked =
      std::regex_replace(text, std::regex(R"(sys_remove\(\d+\))"), "sys_remove(PID)");
  CHECK(masked ==
        "(null)Process: sys_remove(PID)\n"
        "[File:sys.C Line:81]\n"
        "*ERROR* (No. 424) can't remove entry for local system \"BENHOGAN2008\"\n");
  CHECK(lf(fx.ssh("BENHOGAN2008", "sys_list").out) == "BENHOGAN2008\nGPLAYER2008\n");
}

TEST_CASE("dir shows the runbook's LKDRInfo.E line") {
  LabFixture fx(kSeed);
  auto r = fx.ssh("BENHOGAN2008",
                  "cd /d %LKROOT%\\subsys\\filesys\\resources\\volume && dir LKDRInfo.E");
  CHECK(r.rc == 0);
  bool found = false;
  std::istringstream lines(lf(r.out));
  for (std::string line; std::getline(lines, line);)
    found = found || squeeze_blanks(line) == "05/23/2012 01:02 PM 39 LKDRInfo.E";
  INFO(r.out);
  CHECK(found);
  auto dump = fx.dump("BENHOGAN2008");
  CHECK(dump["files"].dump().find("LKDRInfo.E") != std::string::npos);
}
