// certutil.exe on a simulated node: -hashfile's two digest spellings, -encode's file and
// its refusal to overwrite without -f, and the faults that alter a file on the node or
// the text in flight. Expected digests are FIPS 180-2's test vectors; expected lengths
// are the "Output Length" published transcripts show (Microsoft's docs among them).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/lab/node/node_ops.h"
#include "tests/lab/node/sha256.h"
#include "tests/lab/node/tests/test_node.h"
#include "tests/lab/node/text_util.h"

using namespace lab::testing;

namespace {

const std::string kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const std::string kCertutil = "C:\\Windows\\System32\\certutil.exe";
const std::string kTemp = "C:\\Windows\\Temp\\";

struct Fixture {
  explicit Fixture(const std::string& digest = "spaced") {
    lab::NodeState s = benhogan(dir.path() + "/cluster");
    s.formats.certutil_digest = digest;
    node = make_node(dir, "benhogan", s);
  }
  // Writes `bytes` as C:\Windows\Temp\<name> on the node.
  void put(const std::string& name, const std::string& bytes) const {
    std::ofstream(host(name), std::ios::binary) << bytes;
  }
  std::string host(const std::string& name) const { return node + "/C/Windows/Temp/" + name; }
  TempDir dir;
  std::string node;
};

}  // namespace

TEST_CASE("the lab's SHA-256 gives FIPS 180-2's digests", "[certutil]") {
  CHECK(lab::sha256_hex("abc") == kAbc);
  CHECK(lab::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(lab::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(lab::sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("certutil -hashfile: spaced pairs by default, plain hex when the scenario says",
          "[certutil]") {
  Fixture spaced;
  spaced.put("a.txt", "abc");
  auto r = run(spaced.node, kCertutil + " -hashfile " + kTemp + "a.txt SHA256");
  CHECK(r.rc == 0);
  CHECK(r.out ==
        "SHA256 hash of file " + kTemp +
            "a.txt:\r\nba 78 16 bf 8f 01 cf ea 41 41 40 de 5d ae 22 23 b0 03 61 a3 96 17 7a 9c "
            "b4 10 ff 61 f2 00 15 ad\r\nCertUtil: -hashfile command completed successfully.\r\n");
  Fixture plain("plain");
  plain.put("a.txt", "abc");
  CHECK(run(plain.node, "certutil -hashfile " + kTemp + "a.txt sha256").out ==
        "SHA256 hash of " + kTemp + "a.txt:\r\n" + kAbc +
            "\r\nCertUtil: -hashfile command completed successfully.\r\n");
  // A missing file: certutil's HRESULT, on stdout.
  auto missing = run(plain.node, "certutil -hashfile " + kTemp + "none.txt SHA256");
  CHECK(missing.rc == static_cast<int>(0x80070002u));
  CHECK(missing.out.find("ERROR_FILE_NOT_FOUND") != std::string::npos);
  // Only SHA256 is emulated; certutil's own default (SHA1) is refused, not guessed.
  CHECK(run(plain.node, "certutil -hashfile " + kTemp + "a.txt").rc == 1);
}

TEST_CASE("certutil -encode: the armoured base64 in lines of 64, -f to overwrite", "[certutil]") {
  Fixture f;
  f.put("man.bin", "Man");
  auto r = run(f.node, kCertutil + " -encode " + kTemp + "man.bin " + kTemp + "man.b64");
  CHECK(r.rc == 0);
  CHECK(lab::read_file(f.host("man.b64")) ==
        "-----BEGIN CERTIFICATE-----\r\nTWFu\r\n-----END CERTIFICATE-----\r\n");
  CHECK(r.out ==
        "Input Length = 3\r\nOutput Length = 62\r\nCertUtil: -encode command completed "
        "successfully.\r\n");
  // The file exists now: refused without -f, and -f after the verb is an argument.
  auto again = run(f.node, kCertutil + " -encode " + kTemp + "man.bin " + kTemp + "man.b64");
  CHECK(again.rc == static_cast<int>(0x80070050u));
  CHECK(again.out.find("ERROR_FILE_EXISTS") != std::string::npos);
  auto late = run(f.node, kCertutil + " -encode " + kTemp + "man.bin -f " + kTemp + "man.b64");
  CHECK(late.rc == 1);
  CHECK(late.out.find("Too many arguments") != std::string::npos);
  f.put("man.bin", "Woman");
  CHECK(run(f.node, kCertutil + " -f -encode " + kTemp + "man.bin " + kTemp + "man.b64").rc == 0);
  CHECK(lab::read_file(f.host("man.b64")).find("V29tYW4=") != std::string::npos);
  // The published lengths: 7 -> 70, 272 -> 432 (six lines), 468 -> 700 (ten lines), and
  // Microsoft's Azure Stack Edge docs' 1380 -> 1954 and 2150 -> 3014.
  for (auto [in, out] : {std::pair{7, 70}, std::pair{272, 432}, std::pair{468, 700},
                         std::pair{1380, 1954}, std::pair{2150, 3014}}) {
    f.put("n.bin", std::string(static_cast<size_t>(in), '\x5a'));
    auto n = run(f.node, kCertutil + " -f -encode " + kTemp + "n.bin " + kTemp + "n.b64");
    CHECK(n.out.find("Output Length = " + std::to_string(out) + "\r\n") != std::string::npos);
    CHECK(lab::read_file(f.host("n.b64")).size() == static_cast<size_t>(out));
  }
}

TEST_CASE("faults: tamper alters the file on the node, corrupt the text in flight",
          "[certutil][faults]") {
  Fixture f("plain");
  f.put("a.txt", "abc");
  lab::Fault tamper;
  tamper.command = "certutil";
  tamper.match = "-encode";
  tamper.kind = "tamper";
  tamper.times = 1;
  lab::arm_fault(f.node, tamper);
  CHECK(run(f.node, "certutil -hashfile " + kTemp + "a.txt SHA256").out.find(kAbc) !=
        std::string::npos);  // not this command: no "-encode" in its line
  CHECK(run(f.node, "certutil -f -encode " + kTemp + "a.txt " + kTemp + "a.b64").rc == 0);
  CHECK(lab::read_file(f.host("a.txt")) == "acc");  // 'b' (0x62) XOR 1 = 'c'
  CHECK(lab::read_file(f.host("a.b64")).find("YWNj") != std::string::npos);  // base64 of "acc"

  f.put("t.txt", "TWFuTWFu\r\n");
  lab::Fault corrupt;
  corrupt.command = "type";
  corrupt.kind = "corrupt";
  corrupt.times = 1;
  lab::arm_fault(f.node, corrupt);
  CHECK(run(f.node, "type " + kTemp + "t.txt").out == "TWFuTwFu\r\n");  // from the middle on
  CHECK(lab::read_file(f.host("t.txt")) == "TWFuTWFu\r\n");             // the file is intact
  CHECK(run(f.node, "type " + kTemp + "t.txt").out == "TWFuTWFu\r\n");  // it fired once
}
