// A stand-in for lkrecover's main(): the same first line, then it reports what it sees and
// waits, so the test can look at it from outside through /proc.
#include <sys/prctl.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "controller/process_hygiene.h"

int main(int argc, char** argv) {
  const char* variable = std::getenv("LKR_PROBE_VARIABLE");
  std::string name = variable ? variable : "";
  // Reversed, so that the test's own copy of the value never matches what it looks for.
  std::string expected = std::getenv("LKR_PROBE_EXPECTED") ? std::getenv("LKR_PROBE_EXPECTED") : "";
  expected.assign(expected.rbegin(), expected.rend());
  {
    lkr::ProcessHygiene hygiene(argc, argv);
    const char* seen = std::getenv(name.c_str());
    std::cout << "dumpable=" << ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0)
              << " readable=" << (seen != nullptr && expected == seen ? "yes" : "no") << std::endl;
    std::string line;
    std::getline(std::cin, line);  // the test has looked at /proc
  }
  std::cout << "after=" << (std::getenv(name.c_str()) == nullptr ? "removed" : "still set")
            << std::endl;
  std::string line;
  std::getline(std::cin, line);
  return 0;
}
