// WinRM variants of the lab's scenarios for end-to-end tests: every node served over
// WinRM with the given auth and scheme, written next to the test's temporary files.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/lab/driver/tests/lab_fixture.h"

namespace lkr::test {

// `scenario` with "transport": "winrm" (and `auth`, `scheme`) on every node, or only on
// the node whose system is `only`; the copy is written into a temporary folder of the
// process and its path returned.
inline std::string winrm_variant(const std::string& scenario, const std::string& auth,
                                 const std::string& scheme, const std::string& only = "") {
  std::ifstream in(scenario);
  nlohmann::json s = nlohmann::json::parse(in);
  for (auto& c : s["clusters"])
    for (auto& n : c["nodes"]) {
      if (!only.empty() && n["system"] != only) continue;
      n["transport"] = "winrm";
      n["winrm_auth"] = auth;
      n["winrm_scheme"] = scheme;
    }
  struct TempDir {  // removed when the test process ends
    std::string path = lab::testing::make_temp_dir("lkr-winrm-scenario");
    ~TempDir() { lab::testing::remove_tree(path); }
  };
  static const TempDir temp;
  const std::string& dir = temp.path;
  std::string name = scenario.substr(scenario.find_last_of('/') + 1);
  std::string path = dir + "/" + auth + "-" + scheme + "-" + only + "-" + name;
  std::ofstream(path) << s.dump(1);
  return path;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace lkr::test
