// certutil's digest line and base64 file (assumed_formats.h), on the shapes published
// transcripts show and on what must be refused. The digests are FIPS 180-2's test vector
// for "abc", written out by hand in each spelling; the base64 is RFC 4648's "Man".
#include "tasks/parsers/certutil_output.h"

#include <catch2/catch.hpp>
#include <optional>

#include "tasks/action.h"

using namespace lkr;
using namespace lkr::tasks;
using Catch::Matchers::Contains;

namespace {

const std::string kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const std::string kDone = "CertUtil: -hashfile command completed successfully.\r\n";

std::string hashfile(const std::string& digest_line) {
  return "SHA256 hash of file C:\\x.reg:\r\n" + digest_line + "\r\n" + kDone;
}

std::string armoured(const std::string& body) {
  return "-----BEGIN CERTIFICATE-----\r\n" + body + "-----END CERTIFICATE-----\r\n";
}

// The OddOutput's raw line, or nullopt when the parse passed.
std::optional<std::string> refused_line(const std::string& text,
                                        std::string (*parse)(std::string_view)) {
  try {
    parse(text);
  } catch (const OddOutput& e) {
    return e.line;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("certutil -hashfile: both spellings of the digest, either case", "[tasks][certutil]") {
  // Today's certutil: one run of hex digits.
  CHECK(parse_hashfile_sha256("SHA256 hash of C:\\x.reg:\r\n" + kAbc + "\r\n" + kDone) == kAbc);
  // Windows 7-era certutil: pairs separated by one space ("SHA256 hash of file ...").
  CHECK(parse_hashfile_sha256(hashfile(
            "ba 78 16 bf 8f 01 cf ea 41 41 40 de 5d ae 22 23 b0 03 61 a3 96 17 7a 9c b4 10 ff 61 "
            "f2 00 15 ad")) == kAbc);
  CHECK(parse_hashfile_sha256(
            hashfile("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")) == kAbc);
  // The header and the last line are localized: counted, not read.
  CHECK(parse_hashfile_sha256("SHA256 \xe7\x9a\x84 C:\\x.reg \xe5\x93\x88\xe5\xb8\x8c:\n" + kAbc +
                              "\nCertUtil: done\n") == kAbc);
}

TEST_CASE("certutil -hashfile: a corrupted digest line is refused with the line",
          "[tasks][certutil]") {
  const std::string short_by_one = kAbc.substr(1);
  const std::string not_hex = "g" + kAbc.substr(1);
  const std::string double_space =
      "ba  78 16 bf 8f 01 cf ea 41 41 40 de 5d ae 22 23 b0 03 61 a3 96 17 7a 9c b4 10 ff 61 "
      "f2 00 15 a";
  const std::string mixed = "ba7816bf 8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  for (const std::string& line : {short_by_one, not_hex, double_space, mixed}) {
    INFO(line);
    CHECK(refused_line(hashfile(line), parse_hashfile_sha256) == line);
  }
  // A digest wrapped over two lines, a missing success line, no output at all.
  CHECK_THROWS_AS(parse_hashfile_sha256(hashfile(kAbc.substr(0, 32) + "\r\n" + kAbc.substr(32))),
                  OddOutput);
  CHECK_THROWS_AS(parse_hashfile_sha256("SHA256 hash of C:\\x.reg:\r\n" + kAbc + "\r\n"),
                  OddOutput);
  CHECK_THROWS_WITH(parse_hashfile_sha256(""), Contains("no output"));
}

TEST_CASE("certutil -encode file: base64 between the armour lines, lines of 64",
          "[tasks][certutil]") {
  const std::string line64(64, 'A');
  CHECK(parse_encoded_file(armoured("TWFu\r\n")) == "TWFu");
  CHECK(parse_encoded_file(armoured(line64 + "\r\n" + "TWE=\r\n")) == line64 + "TWE=");
  CHECK(parse_encoded_file(armoured(line64 + "\n" + "TQ==\n")) == line64 + "TQ==");  // LF too
  CHECK(parse_encoded_file(armoured(line64 + "\r\n" + line64 + "\r\n")) == line64 + line64);
}

TEST_CASE("certutil -encode file: anything else is refused with the line", "[tasks][certutil]") {
  const std::string line64(64, 'A');
  const std::string line63(63, 'A');
  struct Case {
    std::string text, line;
  };
  const std::vector<Case> cases{
      {armoured(line63 + "\r\n" + "TWFu\r\n"), line63},  // a short line inside
      {armoured(line64.substr(0, 60) + "TW=u\r\n"), line64.substr(0, 60) + "TW=u"},  // '=' inside
      {armoured("TWF*\r\n"), "TWF*"},                                                // not base64
      {armoured(line64 + "\r\n\r\nTWFu\r\n"), ""},                                   // a blank line
      {"-----BEGIN CERTIFICATE-----\r\nTWFu\r\n", "TWFu"},                           // no END line
      {"garbage\r\n" + armoured("TWFu\r\n"), "garbage"},                             // before BEGIN
      {armoured("TWFuT\r\n"), "TWFuT"},  // not 4-aligned
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(refused_line(c.text, parse_encoded_file) == c.line);
  }
  CHECK_THROWS_WITH(parse_encoded_file(""), Contains("no output"));
}
