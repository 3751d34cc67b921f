// WinRM variants of the lab's scenarios for end-to-end tests: every node served over
// WinRM with the given auth and scheme, written next to the test's temporary files.
#pragma once

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "tests/lab/driver/tests/lab_fixture.h"
#include "transports/winrm/winrm_options.h"

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

// The password of the lab's WinRM endpoints (the first line of its password file).
inline std::string lab_winrm_password(const lab::testing::LabFixture& fx) {
  std::string p = read_text(fx.record().winrm_password_file);
  return p.substr(0, p.find('\n'));
}

// The value `text` names in `names`: the lab's scenarios spell WinRM settings as
// inventories do.
template <class E, std::size_t N>
E named(const EnumName<E> (&names)[N], const std::string& text) {
  for (const EnumName<E>& n : names)
    if (n.text == text) return n.value;
  throw std::invalid_argument("no WinRM setting is called \"" + text + "\"");
}

// Transport options reaching `node` of the lab's WinRM endpoint with `auth` over
// `scheme`, as the user running the lab (whom lab-winrm admits), the lab's CA trusted.
inline WinrmOptions lab_winrm_options(const lab::testing::LabFixture& fx, const std::string& node,
                                      const std::string& auth, const std::string& scheme) {
  const lab::LabNode& n = lab::resolve_node(fx.record(), node);
  WinrmOptions o;
  o.host = n.address;
  o.scheme = named(kWinrmSchemeNames, scheme);
  o.auth = named(kWinrmAuthNames, auth);
  o.port = o.scheme == WinrmScheme::https ? n.winrm_https_port : n.winrm_http_port;
  const passwd* pw = getpwuid(geteuid());
  o.user = pw != nullptr ? pw->pw_name : "root";
  o.password = lab_winrm_password(fx);
  o.ca_trust_path = fx.record().winrm_ca;
  o.connect_timeout = std::chrono::seconds(5);
  o.codepage = 437;
  return o;
}

}  // namespace lkr::test
