// Hostile and odd node output through every parser: names holding cmd's
// metacharacters, spaces and non-ASCII; 1 MB lines; 50 MB outputs; invalid UTF-8 and
// Shift_JIS; empty output; LF instead of CRLF; a job with 3 endpoint tuples. Expected:
// names come through byte for byte, nothing crashes, and what cannot be understood is an
// OddOutput naming the command with a bounded quote of the odd line.
#include <catch2/catch.hpp>
#include <string>

#include "tasks/action.h"
#include "tasks/node_facts.h"
#include "tasks/parsers/datakeeper_output.h"
#include "tasks/parsers/lifekeeper_lists.h"
#include "tasks/parsers/text_lines.h"
#include "tasks/parsers/windows_output.h"
#include "tasks/steps/snapshot.h"
#include "tests/unit/tasks/fake_node.h"
#include "tests/unit/tasks/runbook_samples.h"
#include "transports/codepage.h"

using namespace lkr::tasks;
using Catch::Matchers::Contains;
using lkr::OddOutput;
using lkr::tasks::test::crlf;

namespace {

// Every character the issue names, a space and non-ASCII (Japanese, accented Latin).
const std::string kHostileTag = "Vol & | < > ^ % ! \" ( ) サーバー é";
const std::string kHostileSystem = "SRV&|<>^%!\"()データ";
const std::string kHostileJob = "Job \"E\" & (copy) | 100% ^ ! <x> ボリューム";

std::string tab_line(std::initializer_list<std::string> fields) {
  std::string line;
  for (const auto& f : fields) line += (line.empty() ? "" : "\t") + f;
  return line + "\n";
}

// The message of the OddOutput `f` throws ("" when it does not throw).
template <typename F>
std::string odd_message(F f) {
  try {
    f();
  } catch (const OddOutput& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("hostile names come through every listing byte for byte, LF or CRLF",
          "[tasks][parsers][hostile]") {
  const std::string eqv =
      tab_line({kHostileSystem, kHostileTag, "GPLAYER2008", kHostileTag, "SHARED", "1", "10"});
  for (const std::string& text : {eqv, crlf(eqv)}) {
    auto e = parse_eqv_list(text, '\t');
    REQUIRE(e.size() == 1);
    CHECK(e[0].system == kHostileSystem);
    CHECK(e[0].tag == kHostileTag);
    CHECK(e[0].other_tag == kHostileTag);
  }
  const std::string sys = kHostileSystem + "\n" + "GPLAYER2008\n";
  for (const std::string& text : {sys, crlf(sys)})
    CHECK(parse_sys_list(text) == std::vector<std::string>{kHostileSystem, "GPLAYER2008"});
  const std::string net =
      tab_line({kHostileSystem, "10.200.8.25/10.200.8.26", "TCPIP:1500", "DEAD", "1"});
  for (const std::string& text : {net, crlf(net)})
    CHECK(parse_net_list(text, '\t', "BENHOGAN2008").at(0).other_system == kHostileSystem);
  const std::string local_first = tab_line(
      {kHostileSystem, "GPLAYER2008", "10.200.8.25/10.200.8.26", "TCPIP:1500", "DEAD", "1"});
  CHECK(parse_net_list(local_first, '\t', kHostileSystem).at(0).system == kHostileSystem);
  const std::string ins =
      tab_line({"filesys", "volume", kHostileTag, "E:", "INTELLIGENT", kHostileTag, "ISP"});
  for (const std::string& text : {ins, crlf(ins)})
    CHECK(parse_ins_list(text, '\t').at(0).tag == kHostileTag);
  CHECK(parse_hostname(kHostileSystem + "\r\n") == kHostileSystem);
}

TEST_CASE("a job named with metacharacters and 3 endpoint tuples", "[tasks][parsers][hostile]") {
  const std::string text = "ID = " + test::kJobId + "\nName = " + kHostileJob +
                           "\nDescription = a = b; \"c\"\n"
                           "MirrorEndPoints = " +
                           kHostileSystem + ";E;10.0.0.1;GPLAYER2008;E;10.0.0.2;A;" +
                           kHostileSystem +
                           ";E;10.0.0.1;NODE3;E;10.0.0.3;S;GPLAYER2008;E;10.0.0.2;NODE3;E;10.0."
                           "0.3;A\n";
  for (const std::string& t : {text, crlf(text)}) {
    auto jobs = parse_job_info(t);
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0].name == kHostileJob);
    CHECK(jobs[0].description == "a = b; \"c\"");
    REQUIRE(jobs[0].endpoints.size() == 3);
    CHECK(jobs[0].endpoints[0].source == kHostileSystem);
    CHECK(jobs[0].endpoints[1].target == "NODE3");
    CHECK(jobs[0].endpoints[1].mode == "S");
    CHECK(jobs[0].endpoints[2].source == "GPLAYER2008");
    CHECK(jobs[0].endpoints[2].target_ip == "10.0.0.3");
  }
  // A tuple cut short (20 fields) cannot be understood: refused, never guessed.
  CHECK_THROWS_WITH(parse_job_info("ID = " + test::kJobId +
                                   "\nMirrorEndPoints = A;E;1;B;E;2;A;A;E;1;C;E;3;S;B;E;2;C;E;3\n"),
                    Contains("7-field tuples"));
}

TEST_CASE("empty output: nothing where nothing is allowed, an error where something must be",
          "[tasks][parsers][hostile]") {
  CHECK(parse_eqv_list("", '\t').empty());
  CHECK(parse_net_list("\r\n", '\t', "S").empty());
  CHECK(parse_ins_list("", '\t').empty());
  CHECK(parse_job_info("").empty());
  CHECK(parse_mirror_info("\r\n\r\n").empty());
  CHECK(parse_reg_subkeys("", "HKLM\\SYSTEM\\X").empty());
  CHECK_THROWS_WITH(parse_sys_list(""), Contains("sys_list"));
  CHECK_THROWS_WITH(parse_hostname(""), Contains("hostname"));
  CHECK_THROWS_AS(parse_chcp(""), OddOutput);
  CHECK_THROWS_AS(parse_if_exist(""), OddOutput);
  CHECK_THROWS_AS(parse_emcmd_status("", "emcmd . clearswitchover E"), OddOutput);
}

TEST_CASE("a 1 MB line: a 1 MB name is kept whole; an odd one is quoted in 200 characters",
          "[tasks][parsers][hostile]") {
  const std::string big_tag(1 << 20, 'T');
  auto e = parse_eqv_list(
      crlf(tab_line({"BENHOGAN2008", big_tag, "GPLAYER2008", big_tag, "SHARED", "1", "10"})), '\t');
  REQUIRE(e.size() == 1);
  CHECK(e[0].tag == big_tag);
  CHECK(parse_sys_list(big_tag + "\r\n").at(0).size() == big_tag.size());

  const std::string odd_line(1 << 20, 'x');  // one field where seven are expected
  std::string message = odd_message([&] { parse_eqv_list(odd_line + "\r\n", '\t'); });
  CHECK_THAT(message, Contains("eqv_list"));
  CHECK(message.size() < 600);
  message = odd_message([&] { parse_job_info(odd_line); });
  CHECK_THAT(message, Contains("getjobinfoforvol"));
  CHECK(message.size() < 600);
}

TEST_CASE("50 MB of output: parsed whole when well-formed, one bounded error when not",
          "[tasks][parsers][hostile]") {
  const std::string line = "BENHOGAN2008\tVol.X\tGPLAYER2008\tVol.X\tSHARED\t1\t10\r\n";
  std::string text;
  text.reserve(50u << 20);
  while (text.size() + line.size() <= (50u << 20)) text += line;
  const std::size_t lines = text.size() / line.size();
  CHECK(parse_eqv_list(text, '\t').size() == lines);

  text.replace(text.size() / 2, 3, "\x01\x02\x03");  // garbage in the middle
  std::string message = odd_message([&] { parse_eqv_list(text, '\t'); });
  CHECK_THAT(message, Contains("eqv_list") && Contains("\\x01"));
  CHECK(message.size() < 600);
}

TEST_CASE("invalid UTF-8 and NUL bytes are refused with the bytes shown, never passed on",
          "[tasks][parsers][hostile]") {
  const std::string bad = "BENHOGAN2008\t\xE3\x81\tGPLAYER2008\tVol.E\tSHARED\t1\t10\r\n";
  CHECK_THROWS_WITH(parse_eqv_list(bad, '\t'), Contains("eqv_list") && Contains("\\xE3"));
  CHECK_THROWS_WITH(parse_sys_list(std::string("BENHOGAN\0 2008\r\n", 16)),
                    Contains("sys_list") && Contains("\\x00"));
  CHECK_THROWS_AS(parse_hostname("\xFF\xFE\r\n"), OddOutput);
  CHECK_THROWS_AS(parse_ins_list("filesys\tvolume\tVol.\x80\tE:\tI\t\tISP\r\n", '\t'), OddOutput);
}

TEST_CASE("invalid Shift_JIS decodes to visible \\xNN escapes a parser keeps or refuses",
          "[tasks][parsers][hostile]") {
  // A lead byte followed by a LF, a lone trail byte: not Shift_JIS.
  const std::string sjis_line = "\x83\x54\x81\x5B\x83\x6F\x81\x5B\x81\r\n";  // サーバー + lead
  std::string utf8 = lkr::decode_to_utf8(sjis_line, 932);
  CHECK(is_clean_text(utf8.substr(0, utf8.size() - 2)));
  CHECK_THAT(utf8, Contains("サーバー") && Contains("\\x81"));
  // The name keeps the escape as text: it matches no real system name, and preflight
  // refuses the node (damaged_names) before anything is removed.
  CHECK(parse_sys_list(utf8) == std::vector<std::string>{"サーバー\\x81"});
  // Garbage as the lab's "garbage" fault prints it, decoded then parsed: an error.
  std::string garbage = lkr::decode_to_utf8(std::string("\x81\n\x80\xE3\x81\0\x01zz", 10), 932);
  CHECK_THROWS_AS(parse_eqv_list(garbage, '\t'), OddOutput);
}

TEST_CASE("LF instead of CRLF and a missing final line end parse the same",
          "[tasks][parsers][hostile]") {
  const std::string tabbed = test::tabbed(test::kEqvListSample);
  CHECK(parse_eqv_list(tabbed, '\t') == parse_eqv_list(crlf(tabbed), '\t'));
  std::string no_final = tabbed.substr(0, tabbed.size() - 1);
  CHECK(parse_eqv_list(no_final, '\t').size() == 2);
  CHECK(parse_job_info(test::kJobInfoSample).at(0).endpoints ==
        parse_job_info(crlf(test::kJobInfoSample)).at(0).endpoints);
  CHECK(parse_chcp("Active code page: 932\n") == parse_chcp("Active code page: 932\r\n"));
  CHECK(parse_emcmd_status("Status = 0", "x") == 0);
  // A bare CR (old Mac) is not a line end here: the line holds a control character.
  CHECK_THROWS_AS(parse_sys_list("BENHOGAN2008\rGPLAYER2008\r"), OddOutput);
}

TEST_CASE("output cut off by --max-output is never acted on", "[tasks][facts][hostile]") {
  // Every listing gather_facts reads, sys_list included, refuses a truncated answer (the
  // last line may be a name cut in two).
  for (const std::string listing :
       {"sys_list", "eqv_list", "net_list", "ins_list", "emcmd", "reg"}) {
    INFO(listing);
    test::FakeNode node = test::seed_survivor();
    lkr::ReadFn base = node.reader();
    lkr::ReadFn cutting = [&](const std::string& step, const lkr::Command& c) {
      lkr::CommandResult r = base(step, c);
      r.truncated = c.program.find(listing) != std::string::npos;
      return r;
    };
    CHECK_THROWS_WITH(gather_facts(test::host_named("BENHOGAN2008"), cutting), Contains("cut off"));
  }
  // A job's registry backup cut short is no backup: the snapshot step fails, so the job's
  // key is not deleted.
  test::FakeNode node = test::seed_survivor();
  NodeFacts f = gather_facts(test::host_named("BENHOGAN2008"), node.reader());
  auto actions = snapshot::plan(f, test::host_named("BENHOGAN2008"), "GPLAYER2008");
  // export, hashfile, encode, type of the base64 (checked here), del x2, if exist x2
  REQUIRE(actions.size() == 8);
  const lkr::Action& copy = actions[3];
  REQUIRE(copy.check);
  lkr::CommandResult cut;
  cut.exit_code = 0;
  cut.stdout_utf8 = "-----BEGIN CERTIFICATE-----\r\nTWFu\r\n-----END CERTIFICATE-----\r\n";
  cut.truncated = true;
  CHECK_THAT(copy.check(cut).value_or(""), Contains("cut off"));
  cut.truncated = false;
  CHECK_FALSE(copy.check(cut).has_value());
  // Cut where the cap fell, and not flagged: the armour is incomplete, so still no copy.
  cut.stdout_utf8 = "-----BEGIN CERTIFICATE-----\r\nTWFu\r\n-----END CERT";
  CHECK(copy.check(cut).has_value());
}
