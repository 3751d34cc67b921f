// The commands of RUNBOOK.md on a simulated node, with the runbook's sample outputs in the
// formats of the public record (docs/record-formats.md): fields separated by Ctrl-A
// unless -fC (E1), LCD exit codes 2/7/9 (E13).
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/lab/node/node_ops.h"
#include "tests/lab/node/tests/test_node.h"
#include "tests/lab/node/text_util.h"

using namespace lab::testing;

namespace {

const std::string kBin = "C:\\LK\\Bin\\";
const std::string kJob = "e829700c-27b0-447f-b852-1a3135da31a7";
const std::string kJobKey =
    "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\" + kJob;
const std::string kEmcmd = "\"C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe\"";

struct Fixture {
  TempDir dir;
  std::string node = make_node(dir, "benhogan", benhogan(dir.path() + "/cluster"));
};

// A runbook sample line (fields separated by blanks) with Ctrl-A between the fields, as
// the list commands print it without -f (E1, E2).
std::string ctrl_a(std::string line) {
  std::replace(line.begin(), line.end(), ' ', '\x01');
  return line;
}

}  // namespace

TEST_CASE("eqv_list prints the runbook's sample, fields separated by Ctrl-A", "[commands]") {
  Fixture f;
  auto r = run(f.node, "eqv_list");
  CHECK(r.rc == 0);
  CHECK(r.out == ctrl_a("BENHOGAN2008 LK1-BENHOGAN2K8 GPLAYER2008 LK1-BENHOGAN2K8 SHARED 1 10") +
                     "\r\n" + ctrl_a("BENHOGAN2008 Vol.E GPLAYER2008 Vol.E SHARED 1 10") + "\r\n");
  CHECK(r.err.empty());
  // -f with a blank gives the knowledge-base page's sample byte for byte.
  CHECK(run(f.node, "eqv_list -f \" \" -t Vol.E").out ==
        "BENHOGAN2008 Vol.E GPLAYER2008 Vol.E SHARED 1 10\r\n");
  // By full path, with -fC in one or two arguments, and a filter.
  CHECK(run(f.node, kBin + "eqv_list.exe -f: -t Vol.E").out ==
        "BENHOGAN2008:Vol.E:GPLAYER2008:Vol.E:SHARED:1:10\r\n");
  CHECK(run(f.node, "EQV_LIST \"-f\t\" -t Vol.E").out ==
        "BENHOGAN2008\tVol.E\tGPLAYER2008\tVol.E\tSHARED\t1\t10\r\n");
  CHECK(run(f.node, "eqv_list -f \"|\" -t Vol.E").out ==
        "BENHOGAN2008|Vol.E|GPLAYER2008|Vol.E|SHARED|1|10\r\n");
}

TEST_CASE("unknown options exit 2, other systems 9 (E13)", "[commands]") {
  Fixture f;
  auto r = run(f.node, "eqv_list -x");
  CHECK(r.rc == 2);
  CHECK(r.err == "Usage: eqv_list [-d destsys] [-s sys] [-t tag] [-e SHARED] [-fC]\r\n");
  CHECK(run(f.node, "eqv_remove -t Vol.E").rc == 2);  // -o is required
  CHECK(run(f.node, "ins_list -f").rc == 2);          // -f needs its character
  CHECK(run(f.node, "sys_remove").rc == 2);           // -s is required
  CHECK(run(f.node, "eqv_list -d GPLAYER2008").rc == 9);
  CHECK(run(f.node, "lcdsync -d GPLAYER2008").rc == 9);
  auto d = run(f.node, "sys_list -d GPLAYER2008");
  CHECK(d.rc == 9);
  CHECK(d.err.find("GPLAYER2008") != std::string::npos);
  CHECK(d.err.rfind("(null)Process: sys_list(", 0) == 0);
  CHECK(run(f.node, "sys_list -d BENHOGAN2008").out == "BENHOGAN2008\r\nGPLAYER2008\r\n");
}

TEST_CASE("sys_remove of the local system: error 424 exactly", "[commands]") {
  Fixture f;
  auto r = run(f.node, "sys_remove -s BENHOGAN2008");
  CHECK(r.rc == 1);  // neither syntax, nor missing, nor unreachable: the lab's choice
  std::string pid_part = r.err.substr(0, r.err.find('\n'));
  // "(null)Process: sys_remove(<pid>)": the pid is the command's own, a number.
  REQUIRE(pid_part.rfind("(null)Process: sys_remove(", 0) == 0);
  std::string rest = r.err.substr(r.err.find('\n') + 1);
  CHECK(rest ==
        "[File:sys.C Line:81]\r\n"
        "*ERROR* (No. 424) can't remove entry for local system \"BENHOGAN2008\"\r\n");
}

TEST_CASE("the runbook's order: equivalencies before the system", "[commands]") {
  Fixture f;
  auto refused = run(f.node, "sys_remove -s GPLAYER2008");
  CHECK(refused.rc == 1);  // in use: a refusal, not a missing object
  CHECK(refused.err.find("*ERROR* (No. 426)") != std::string::npos);

  CHECK(run(f.node,
            "eqv_remove -s BENHOGAN2008 -t LK1-BENHOGAN2K8 -S GPLAYER2008 -o LK1-BENHOGAN2K8 -e "
            "SHARED")
            .rc == 0);
  CHECK(run(f.node, "eqv_list").out ==
        ctrl_a("BENHOGAN2008 Vol.E GPLAYER2008 Vol.E SHARED 1 10") + "\r\n");
  // Removing what is gone is an error: no such object, 7.
  auto again = run(
      f.node, "eqv_remove -s BENHOGAN2008 -t LK1-BENHOGAN2K8 -S GPLAYER2008 -o LK1-BENHOGAN2K8");
  CHECK(again.rc == 7);
  CHECK(again.err.find("*ERROR* (No. 412)") != std::string::npos);
  CHECK(run(f.node, "eqv_remove -t Vol.E -S GPLAYER2008 -o Vol.E").rc == 0);
  auto empty = run(f.node, "eqv_list");
  CHECK(empty.out.empty());
  CHECK(empty.rc == 7);  // empty_list_rc's default

  CHECK(run(f.node, "sys_list").out == "BENHOGAN2008\r\nGPLAYER2008\r\n");
  CHECK(run(f.node, "sys_remove -s GPLAYER2008").rc == 0);
  CHECK(run(f.node, "sys_list").out == "BENHOGAN2008\r\n");
  auto gone = run(f.node, "sys_remove -s GPLAYER2008");
  CHECK(gone.rc == 7);
  CHECK(gone.err.find("(No. 425)") != std::string::npos);
  CHECK(run(f.node, "sys_remove -s NOSUCHSYSTEM").rc == 7);
}

TEST_CASE("net_list: other, local/remote, device, state, priority (E1, E5)", "[commands]") {
  Fixture f;
  auto r = run(f.node, "net_list");
  CHECK(r.rc == 0);
  CHECK(r.out ==
        "GPLAYER2008\x01"
        "10.200.8.25/10.200.8.26\x01TCPIP:1500\x01"
        "DEAD\x01"
        "1\r\n");
  CHECK(run(f.node, "net_list -f#").out ==
        "GPLAYER2008#10.200.8.25/10.200.8.26#TCPIP:1500#DEAD#1\r\n");
}

TEST_CASE("net_remove: -d local -s other -D device [-r remote] [-l local] (E3, E4)", "[commands]") {
  Fixture f;
  // -S does not exist: usage, 2; -s and -D are required.
  auto s_flag = run(f.node, "net_remove -d BENHOGAN2008 -S GPLAYER2008 -D TCPIP:1500");
  CHECK(s_flag.rc == 2);
  CHECK(s_flag.err.rfind("Usage: net_remove", 0) == 0);
  CHECK(run(f.node, "net_remove -s GPLAYER2008").rc == 2);
  CHECK(run(f.node, "net_remove -D TCPIP:1500").rc == 2);
  // -d must be the local system.
  CHECK(run(f.node, "net_remove -d GPLAYER2008 -s BENHOGAN2008 -D TCPIP:1500").rc == 9);
  // Nothing matches: no such object, and the path stays.
  CHECK(run(f.node, "net_remove -d BENHOGAN2008 -s GPLAYER2008 -D TCPIP:1510").rc == 7);
  CHECK(run(f.node, "net_remove -s GPLAYER2008 -D TCPIP:1500 -r 10.200.8.99").rc == 7);
  CHECK(run(f.node, "net_remove -s GPLAYER2008 -D TCPIP:1500 -l 10.200.8.99").rc == 7);
  CHECK(run(f.node, "net_remove -s BENHOGAN2008 -D TCPIP:1500").rc == 7);  // -s: the OTHER system
  CHECK(lab::dump_node(f.node)["in_memory"]["comm_paths"].size() == 1);
  CHECK(run(f.node,
            "net_remove -d BENHOGAN2008 -s GPLAYER2008 -D TCPIP:1500 -r 10.200.8.26 -l 10.200.8.25")
            .rc == 0);
  auto empty = run(f.node, "net_list");
  CHECK(empty.out.empty());
  CHECK(empty.rc == 7);
  CHECK(run(f.node, "net_remove -s GPLAYER2008 -D TCPIP:1500").rc == 7);  // already gone
}

TEST_CASE("ins_list: seven fields and more, info 6th, state 7th, a volume's id E: (E2, E8)",
          "[commands]") {
  Fixture f;
  auto r = run(f.node, "ins_list -a filesys");
  CHECK(r.rc == 0);
  REQUIRE(r.out.size() > 2);
  REQUIRE(r.out.substr(r.out.size() - 2) == "\r\n");
  auto fields = lab::split_any(r.out.substr(0, r.out.size() - 2), "\x01");
  REQUIRE(fields.size() > 7);  // "extended": reason, initialisation, check intervals
  CHECK(fields[0] == "filesys");
  CHECK(fields[1] == "volume");
  CHECK(fields[2] == "Vol.E");
  CHECK(fields[3] == "E:");
  CHECK(fields[4] == "INTELLIGENT");
  CHECK(fields[5].rfind("E:", 0) == 0);  // the drive, then text with spaces
  CHECK(fields[5].find(' ') != std::string::npos);
  CHECK(fields[6] == "ISP");
  CHECK(fields[7].find(' ') != std::string::npos);  // the reason, a text with spaces
  CHECK(fields[8] == "AUTORES_ISP");
  // -i matches the id as printed.
  CHECK(run(f.node, "ins_list -i E:").out == r.out);
  auto letter = run(f.node, "ins_list -i E");
  CHECK(letter.out.empty());
  CHECK(letter.rc == 7);
  auto ip = lab::split_any(run(f.node, "ins_list -f: -r ip").out, ":");
  REQUIRE(ip.size() > 7);
  CHECK(ip[3] == "10.200.8.100");
  CHECK(ip[5].rfind("10.200.8.100 ", 0) == 0);  // the address, then a mask...
  CHECK(ip[6] == "ISP");
}

TEST_CASE("ins_remove: 7 when nothing matches, 2 without a selection", "[commands]") {
  Fixture f;
  CHECK(run(f.node, "ins_remove -i E").rc == 7);  // the id is printed E:
  CHECK(run(f.node, "ins_remove -i E:").rc == 0);
  CHECK(lab::split_any(run(f.node, "ins_list").out, "\x01")[2] == "LK1-BENHOGAN2K8");
  CHECK(run(f.node, "ins_remove -t Vol.E").rc == 7);
  CHECK(run(f.node, "ins_remove").rc == 2);  // no selection: usage, never "everything"
  CHECK(run(f.node, "ins_remove -t LK1-BENHOGAN2K8").rc == 0);
  auto empty = run(f.node, "ins_list");
  CHECK(empty.out.empty());
  CHECK(empty.rc == 7);
}

TEST_CASE("LKDRInfo: cd, dir, del as in step 4", "[commands][builtins]") {
  Fixture f;
  auto d = run(f.node, "cd %LKROOT%\\subsys\\filesys\\resources\\volume && dir LKDRInfo.E");
  CHECK(d.rc == 0);
  // The runbook's line, with Windows' real column widths.
  CHECK(d.out.find("\r\n05/23/2012  01:02 PM                39 LKDRInfo.E\r\n") !=
        std::string::npos);
  CHECK(d.out.find(" Directory of C:\\LK\\subsys\\filesys\\resources\\volume\r\n") !=
        std::string::npos);
  CHECK(d.out.find("               1 File(s)             39 bytes\r\n") != std::string::npos);

  CHECK(run(f.node, "cd /d C:\\lk\\SUBSYS\\filesys\\resources\\volume & del lkdrinfo.e").rc == 0);
  CHECK_FALSE(std::filesystem::exists(f.node + "/C/LK/subsys/filesys/resources/volume/LKDRInfo.E"));
  auto again = run(f.node, "del \"C:\\LK\\subsys\\filesys\\resources\\volume\\LKDRInfo.E\"");
  CHECK(again.err == "Could Not Find C:\\LK\\subsys\\filesys\\resources\\volume\\LKDRInfo.E\r\n");
  auto gone = run(f.node, "cd C:\\LK\\subsys\\filesys\\resources\\volume && dir LKDRInfo.E");
  CHECK(gone.rc == 1);
  CHECK(gone.err == "File Not Found\r\n");
  CHECK(run(f.node, "cd C:\\nowhere").err == "The system cannot find the path specified.\r\n");
  CHECK(run(f.node, "del /x foo").err == "Invalid switch - x.\r\n");
}

TEST_CASE("if exist, echo, hostname, chcp", "[commands][builtins]") {
  Fixture f;
  std::string file = "C:\\LK\\subsys\\filesys\\resources\\volume\\LKDRInfo.E";
  CHECK(run(f.node, "if exist \"" + file + "\" (echo yes) else (echo no)").out == "yes\r\n");
  CHECK(run(f.node, "if exist \"" + file + "x\" (echo yes) else (echo no)").out == "no\r\n");
  CHECK(run(f.node, "if not exist C:\\x echo a & echo b").out == "a\r\nb\r\n");
  CHECK(run(f.node, "if exist C:\\x echo a & echo b").out.empty());
  CHECK(run(f.node, "echo.").out == "\r\n");
  CHECK(run(f.node, "echo").out == "ECHO is on.\r\n");
  CHECK(run(f.node, "echo a^&b \"c^&d\"").out == "a&b \"c^&d\"\r\n");
  CHECK(run(f.node, "hostname").out == "BENHOGAN2008\r\n");
  CHECK(run(f.node, "chcp").out == "Active code page: 437\r\n");
  CHECK(run(f.node, "chcp 65001 & chcp").out ==
        "Active code page: 65001\r\nActive code page: 65001\r\n");
  CHECK(run(f.node, "chcp 12345").rc == 1);
}

TEST_CASE("unknown commands: cmd's message, 9009, and && / || chains", "[commands]") {
  Fixture f;
  auto r = run(f.node, "frobnicate -x");
  CHECK(r.rc == 9009);
  CHECK(r.err ==
        "'frobnicate' is not recognized as an internal or external command,\r\n"
        "operable program or batch file.\r\n");
  CHECK(run(f.node, "frobnicate && echo no").out.empty());
  auto o = run(f.node, "frobnicate || echo yes");
  CHECK(o.out == "yes\r\n");
  CHECK(o.rc == 0);
  CHECK(run(f.node, "echo a & frobnicate").rc == 9009);
  // The /c rule: a quoted program path without spaces loses its quotes... and the last one.
  CHECK(run(f.node, "\"C:\\LK\\Bin\\eqv_list.exe\" -t Vol.E").rc == 0);
  // A path with spaces wrapped once is broken by the rule, as on Windows.
  CHECK(run(f.node, kEmcmd + " . getjobinfoforvol \"E\"").rc == 9009);
  // Wrapped in an extra pair of quotes it works.
  CHECK(run(f.node, "\"" + kEmcmd + " . getjobinfoforvol E\"").rc == 0);
}

TEST_CASE("emcmd and reg, step 5", "[commands][datakeeper]") {
  Fixture f;
  std::string emcmd = "\"" + kEmcmd;
  auto info = run(f.node, emcmd + " . getjobinfoforvol E\"");
  CHECK(info.out ==
        "ID = e829700c-27b0-447f-b852-1a3135da31a7\r\n"
        "Name = E Vol\r\n"
        "Description =\r\n"
        "MirrorEndPoints = BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A\r\n");
  CHECK(run(f.node, emcmd + " . getjobinfoforvol F\"").out.empty());
  // E10: "V: <role> <other system> <other IP> <state>"; 3 broken toward the lost node.
  CHECK(run(f.node, emcmd + " . getmirrorvolinfo E\"").out == "E: 1 GPLAYER2008 10.200.8.26 3\r\n");
  auto unmirrored = run(f.node, emcmd + " . getmirrorvolinfo F\"");
  CHECK(unmirrored.out == "Status = 15\r\n");  // mirror_info_none's default (E12)
  CHECK(unmirrored.rc == 15);

  auto del = run(f.node, emcmd + " . deletejob " + kJob + "\"");
  CHECK(del.rc != 0);
  CHECK(run(f.node, emcmd + " . getjobinfoforvol E\"").out.find(kJob) != std::string::npos);

  auto q = run(f.node, "reg query " + kJobKey);
  CHECK(q.rc == 0);
  CHECK(q.out.find("    Endpoints    REG_MULTI_SZ    "
                   "BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A\r\n") !=
        std::string::npos);
  CHECK(q.out.find("    Name    REG_SZ    E Vol\r\n") != std::string::npos);
  CHECK(q.out.find("MirrorEndPoints") == std::string::npos);

  // Export: UTF-16LE with a BOM, "Windows Registry Editor Version 5.00".
  CHECK(run(f.node, "reg export " + kJobKey + " C:\\Windows\\Temp\\job.reg /y").rc == 0);
  auto t = run(f.node, "type C:\\Windows\\Temp\\job.reg");
  CHECK(t.out.rfind("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\",
                    0) == 0);
  CHECK(t.out.find("\"Name\"=\"E Vol\"\r\n") != std::string::npos);

  // Without /f reg asks; "n" keeps the key.
  auto no = run(f.node, "reg delete " + kJobKey, "n\r\n");
  CHECK(no.out ==
        "Permanently delete the registry key HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\"
        "Services\\ExtMirr\\Parameters\\Jobs\\" +
            kJob + " (Yes/No)? ");
  CHECK(run(f.node, "reg query " + kJobKey).rc == 0);

  auto yes = run(f.node, "reg delete " + kJobKey + " /f");
  CHECK(yes.rc == 0);
  CHECK(yes.out == "The operation completed successfully.\r\n");
  CHECK(run(f.node, emcmd + " . getjobinfoforvol E\"").out.empty());
  auto gone = run(f.node, "reg query " + kJobKey);
  CHECK(gone.rc == 1);
  CHECK(gone.err ==
        "ERROR: The system was unable to find the specified registry key or value.\r\n");

  CHECK(run(f.node, emcmd + " . deletelocalmirroronly E\"").out == "Status = 0\r\n");
  auto none = run(f.node, emcmd + " . deletelocalmirroronly E\"");
  CHECK(none.out == "Status = 15\r\n");
  CHECK(none.rc == 15);
  CHECK(run(f.node, emcmd + " . clearswitchover E\"").out ==
        "Status = 0\r\n");  // still in dk_volumes
  CHECK(run(f.node, emcmd + " . clearswitchover F\"").out == "Status = 15\r\n");

  // reg add brings a job back.
  CHECK(run(f.node, "reg add " + kJobKey + " /v Name /t REG_SZ /d \"E Vol\" /f").rc == 0);
  CHECK(lab::dump_node(f.node)["registry_jobs"][0]["name"] == "E Vol");
  CHECK(run(f.node, "reg add " + kJobKey + " /v Endpoints /t REG_MULTI_SZ /d a;E;1;b;E;2;A\\0" +
                        "a;E;1;c;E;3;A /f")
            .rc == 0);
  CHECK(lab::dump_node(f.node)["registry_jobs"][0]["endpoints"] ==
        nlohmann::json::array({"a;E;1;b;E;2;A", "a;E;1;c;E;3;A"}));
  CHECK(run(f.node, "reg add " + kJobKey + " /v Endpoints /t REG_SZ /d x /f").rc == 1);
  CHECK(run(f.node, "reg add " + kJobKey + " /v MirrorEndPoints /d x /f").rc == 1);
}

TEST_CASE("a Japanese node speaks Shift_JIS", "[commands][codepage]") {
  TempDir dir;
  auto s = benhogan(dir.path() + "/cluster");
  s.codepage = 932;
  std::string node = make_node(dir, "jp", s);
  // 現在のコード ページ: 932, bytes from the JIS table (see codepage_test.cpp).
  CHECK(run(node, "chcp").out ==
        "\x8C\xBB\x8D\xDD\x82\xCC\x83\x52\x81\x5B\x83\x68 \x83\x79\x81\x5B\x83\x57: 932\r\n");
  auto r = run(node, "xyz");
  CHECK(r.rc == 9009);
  CHECK(r.err.rfind("'xyz' \x82\xCD", 0) == 0);  // は = 04-47 -> 82 CD
  // type converts a UTF-16LE file to the console's code page: 日 38-92 -> 93 FA, 本 43-60 -> 96 7B.
  std::string key = "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\" + kJob;
  REQUIRE(run(node, "reg add " + key + " /v Name /d \"日本\" /f").rc == 0);
  REQUIRE(run(node, "reg export " + key + " C:\\Windows\\Temp\\j.reg /y").rc == 0);
  CHECK(run(node, "type C:\\Windows\\Temp\\j.reg").out.find("\"Name\"=\"\x93\xFA\x96\x7B\"\r\n") !=
        std::string::npos);
  // After chcp 437 the console is English again.
  CHECK(run(node, "chcp 437 & xyz").err.rfind("'xyz' is not recognized", 0) == 0);
}
