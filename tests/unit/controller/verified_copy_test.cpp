// The job backup's copy (controller/verified_copy.h): decoded from certutil's base64 and
// accepted only with the node's digest. Digests: FIPS 180-2's "abc" vector, and Python's
// hashlib for the BOM bytes (computed apart from the code under test).
#include "controller/verified_copy.h"

#include <catch2/catch.hpp>

using Catch::Matchers::Contains;
using lkr::verify_copy;

namespace {

const std::string kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

std::string armoured(const std::string& body) {
  return "-----BEGIN CERTIFICATE-----\r\n" + body + "\r\n-----END CERTIFICATE-----\r\n";
}

}  // namespace

TEST_CASE("verified copy: the decoded bytes, when their digest is the node's", "[controller]") {
  auto copy = verify_copy(armoured("YWJj"), kAbc);
  CHECK(copy.problem.empty());
  CHECK(copy.bytes == "abc");
  CHECK(copy.sha256 == kAbc);
  // reg export's UTF-16LE with its BOM comes through as bytes, not as text.
  auto bom = verify_copy(armoured("//5BAA=="),
                         "53c523bad1a04b0d2fce18ee10dacb6a7362f3804cdcbdaf68ff1ae76e8a51cd");
  CHECK(bom.problem.empty());
  CHECK(bom.bytes == std::string("\xFF\xFE"
                                 "A\0",
                                 4));
}

TEST_CASE("verified copy: a wrong digest names both and keeps nothing", "[controller]") {
  auto copy = verify_copy(armoured("YWJk"), kAbc);  // "abd": one byte changed
  CHECK(copy.bytes.empty());
  CHECK_THAT(copy.problem, Contains("differs from the file on the node"));
  CHECK_THAT(copy.problem, Contains(kAbc));         // what the node printed
  CHECK_THAT(copy.problem, Contains(copy.sha256));  // what arrived
  CHECK(copy.sha256 != kAbc);
}

TEST_CASE("verified copy: a corrupted line or no digest is refused", "[controller]") {
  auto odd = verify_copy(armoured("YW*j"), kAbc);
  CHECK(odd.bytes.empty());
  CHECK_THAT(odd.problem, Contains("YW*j"));
  auto unread = verify_copy(armoured("YWJj"), std::nullopt);
  CHECK(unread.bytes.empty());
  CHECK_THAT(unread.problem, Contains("no SHA-256"));
}
