// SecretText: each copy of a password in its own heap buffer, zeroed when cleared,
// reassigned or moved away; WipeOnExit zeros a working string at scope end.
#include "transports/secret_text.h"

#include <catch2/catch.hpp>
#include <string>

using lkr::SecretText;

namespace {

// The bytes of the buffer `text` had, up to `n`: cleared strings keep their allocation,
// so these stay readable memory.
bool all_zero(const char* bytes, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (bytes[i] != '\0') return false;
  return true;
}

}  // namespace

TEST_CASE("clear() zeros the bytes where the password was, not just the length") {
  SecretText s("hunter2-correct-horse");
  const char* where = s.data();
  REQUIRE(std::string(where, s.size()) == "hunter2-correct-horse");
  s.clear();
  CHECK(s.empty());
  CHECK(s.data() == where);  // the same allocation, now zeros
  CHECK(all_zero(where, 21));
}

TEST_CASE("a short password is on the heap too, in a buffer no append moves") {
  SecretText s("pw");
  std::string small("pw");
  // Past the small-string buffer: a copy never sits inside an object that is memcpy'd.
  CHECK(s.str().capacity() >= 64);
  CHECK(s.str().capacity() > small.capacity());
}

TEST_CASE("assignment zeros the old value; a move leaves nothing behind") {
  SecretText a("first-secret-value"), b("second");
  const char* old = a.data();
  a = b;
  CHECK(a == "second");
  CHECK(all_zero(old + 6, 12));  // what followed "second" in the reused buffer
  SecretText c(std::move(a));
  CHECK(c == "second");
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): checking exactly that
}

TEST_CASE("WipeOnExit zeros a working string however the scope ends") {
  std::string working(40, 'k');
  const char* where = working.data();
  try {
    lkr::WipeOnExit wipe(working);
    throw std::runtime_error("a failure in the middle");
  } catch (const std::runtime_error&) {
  }
  CHECK(working.data() == where);
  CHECK(all_zero(where, 40));
}
