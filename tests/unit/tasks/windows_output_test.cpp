#include "tasks/parsers/windows_output.h"

#include <catch2/catch.hpp>

#include "tasks/action.h"
#include "tasks/assumed_formats.h"
#include "tasks/parsers/text_lines.h"
#include "tests/unit/tasks/runbook_samples.h"

using namespace lkr;
using namespace lkr::tasks;
using namespace lkr::tasks::test;
using Catch::Matchers::Contains;

TEST_CASE("chcp: English and Japanese, with or without a period", "[tasks][parsers]") {
  CHECK(parse_chcp("Active code page: 437\r\n") == 437);
  CHECK(parse_chcp("Active code page: 65001.\r\n") == 65001);
  CHECK(parse_chcp("現在のコード ページ: 932\r\n") == 932);
  CHECK(parse_chcp("\r\n現在のコード ページ: 932.\r\n\r\n") == 932);
  CHECK_THROWS_WITH(parse_chcp(""), Contains("chcp") && Contains("no output"));
  CHECK_THROWS_WITH(parse_chcp("Active code page: four\r\n"), Contains("Active code page: four"));
  CHECK_THROWS_AS(parse_chcp("Active code page 437\r\n"), OddOutput);
}

TEST_CASE("hostname", "[tasks][parsers]") {
  CHECK(parse_hostname("BENHOGAN2008\r\n") == "BENHOGAN2008");
  CHECK(parse_hostname("BENHOGAN2008\n") == "BENHOGAN2008");
  CHECK_THROWS_AS(parse_hostname(""), OddOutput);
  CHECK_THROWS_AS(parse_hostname("A\r\nB\r\n"), OddOutput);
  CHECK_THROWS_WITH(parse_hostname("\x1b[2J\r\n"), Contains("\\x1B"));
}

TEST_CASE("if exist probe", "[tasks][parsers]") {
  CHECK(parse_if_exist("yes\r\n"));
  CHECK_FALSE(parse_if_exist("no\r\n"));
  CHECK_THROWS_WITH(parse_if_exist("maybe\r\n"),
                    Contains("\"yes\" or \"no\"") && Contains("maybe"));
  CHECK_THROWS_AS(parse_if_exist(""), OddOutput);
}

TEST_CASE("reg query of the Jobs key lists subkeys", "[tasks][parsers]") {
  const std::string listing =
      "\r\nHKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\" +
      kJobId +
      "\r\nHKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\"
      "0a1b2c3d-0000-4111-8222-333344445555\r\n";
  CHECK(parse_reg_subkeys(listing, assumed::kJobsKey) ==
        std::vector<std::string>{kJobId, "0a1b2c3d-0000-4111-8222-333344445555"});
  const std::string with_values =
      "\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\r\n"
      "    Count    REG_DWORD    0x1\r\n\r\n"
      "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\" +
      kJobId + "\r\n";
  CHECK(parse_reg_subkeys(with_values, assumed::kJobsKey) == std::vector<std::string>{kJobId});
  CHECK(parse_reg_subkeys("", assumed::kJobsKey).empty());
  CHECK_THROWS_WITH(parse_reg_subkeys("HKEY_LOCAL_MACHINE\\Software\\Other\r\n", assumed::kJobsKey),
                    Contains("reg query") && Contains("Software\\Other"));
}

TEST_CASE("quote_line escapes and truncates", "[tasks][parsers]") {
  CHECK(quote_line("a\tb\x7f\xc3") == "a\\x09b\\x7F\\xC3");
  CHECK(quote_line("日本") == "日本");
  std::string long_line(500, 'x');
  std::string quoted = quote_line(long_line);
  CHECK(quoted == std::string(200, 'x') + "...");
  CHECK_THROWS_WITH(parse_hostname(std::string(300, '\x01')),
                    Contains("\\x01\\x01") && Contains("...\""));
}

TEST_CASE("assumed locations", "[tasks][formats]") {
  CHECK(assumed::lifekeeper_program("C:\\LK\\Bin", "eqv_list") == "C:\\LK\\Bin\\eqv_list.exe");
  CHECK(assumed::lifekeeper_program("C:\\LK\\Bin\\", "eqv_list") == "C:\\LK\\Bin\\eqv_list.exe");
  CHECK(assumed::lifekeeper_bin("C:\\LK") == "C:\\LK\\Bin");
  CHECK(assumed::drive_of_volume_id("E:") == "E");
  CHECK(assumed::drive_of_volume_id("e") == "E");
  CHECK_FALSE(assumed::drive_of_volume_id("C:\\Mount").has_value());
  CHECK_FALSE(assumed::drive_of_volume_id("EE:").has_value());
  CHECK(assumed::is_device("TCPIP:1500"));
  CHECK_FALSE(assumed::is_device("TCP"));
  CHECK_FALSE(assumed::is_device("TCPIP:"));
  CHECK(assumed::emcmd_program("C:\\Program Files\\SIOS\\DataKeeper") ==
        "C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe");
  CHECK(assumed::lkdrinfo_path("C:\\LK", "E") ==
        "C:\\LK\\subsys\\filesys\\resources\\volume\\LKDRInfo.E");
  CHECK(assumed::job_key(kJobId) ==
        "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\" + kJobId);
  CHECK(assumed::job_backup_path("C:\\Windows", kJobId) ==
        "C:\\Windows\\System32\\config\\systemprofile\\AppData\\Local\\Temp\\lkrecover-" + kJobId +
            ".reg");
  // Windows' tools by full path under the node's %SystemRoot%, wherever that is.
  CHECK(assumed::windows_tool("D:\\WINNT", assumed::kRegTool) == "D:\\WINNT\\System32\\reg.exe");
  CHECK(assumed::windows_tool("C:\\Windows\\", assumed::kChcpTool) ==
        "C:\\Windows\\System32\\chcp.com");
  CHECK(assumed::field_separator_flag() == "-f\t");
  CHECK(assumed::is_job_id(kJobId));
  CHECK_FALSE(assumed::is_job_id(""));
  CHECK_FALSE(assumed::is_job_id("e829700c-27b0-447f-b852-1a3135da31a7\\x"));
  CHECK(assumed::is_drive_letter("E"));
  CHECK_FALSE(assumed::is_drive_letter("..\\E"));
}

TEST_CASE("set PREFIX: NAME=value lines, names case-insensitive", "[tasks][parsers]") {
  auto vars = parse_set_output("LKBIN=C:\\LK\\Bin\r\nLKROOT=C:\\LK\r\nLkSomething=a=b\r\n");
  CHECK(vars.at("LKROOT") == "C:\\LK");
  CHECK(vars.at("LKBIN") == "C:\\LK\\Bin");
  CHECK(vars.at("LKSOMETHING") == "a=b");
  CHECK(parse_set_output("ExtMirrBase=C:\\Program Files (x86)\\SIOS\\DataKeeper\r\n")
            .at("EXTMIRRBASE") == "C:\\Program Files (x86)\\SIOS\\DataKeeper");
  CHECK_THROWS_AS(parse_set_output("Environment variable LK not defined\r\n"), lkr::OddOutput);
}
