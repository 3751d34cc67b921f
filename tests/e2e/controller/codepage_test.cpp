// Code pages end to end: nodes at 437, 850, 932, 1252 and 65001 behind
// real sshd, with names that exist in each node's code page. The lab's output is checked
// byte for byte against iconv's encoding of the expected text, and the product recovers
// every cluster (one mixes 850, 1252 and 65001) detecting each code page with chcp; every
// audit file it writes is valid UTF-8 and names the clusters as they are spelled.
#include <iconv.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/e2e/controller/product_run.h"
#include "transports/cmd_quoting.h"

using lkr::e2e::Lab;
using lkr::e2e::TempDir;
using nlohmann::json;
namespace e2e = lkr::e2e;
namespace fs = std::filesystem;

namespace {

const std::string kScenario = std::string(LAB_SCENARIO_DIR) + "/codepages.json";

// UTF-8 -> `charset` with glibc's iconv (independent of the lab's encoder and of the
// product's decoder). Throws when a character does not exist in it.
std::string iconv_to(const std::string& utf8, const std::string& charset) {
  iconv_t cd = iconv_open(charset.c_str(), "UTF-8");
  REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  size_t rc = iconv(cd, &in, &in_left, &dst, &dst_left);
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1)) throw std::runtime_error("not in " + charset);
  out.resize(out.size() - dst_left);
  return out;
}

// UTF-8 -> Windows code page `cp`.
std::string iconv_encode(const std::string& utf8, int cp) {
  return cp == 65001 ? utf8 : iconv_to(utf8, "CP" + std::to_string(cp));
}

// RFC 3629 UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
    unsigned char c = b(0);
    size_t n = c < 0x80                   ? 1
               : (c >= 0xC2 && c <= 0xDF) ? 2
               : (c >= 0xE0 && c <= 0xEF) ? 3
               : (c >= 0xF0 && c <= 0xF4) ? 4
                                          : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((b(k) & 0xC0) != 0x80) return false;
    if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) >= 0xA0) || (c == 0xF0 && b(1) < 0x90) ||
        (c == 0xF4 && b(1) >= 0x90))
      return false;
    i += n;
  }
  return true;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json scenario() {
  std::ifstream in(kScenario);
  return json::parse(in);
}

}  // namespace

// SSH only: its subject is the bytes the lab's sshd sends (the recovery below runs over
// both transports).
TEST_CASE("lab nodes speak their code page over sshd", "[e2e][codepage][ssh-only]") {
  Lab lab(kScenario);
  std::string sys_list = lkr::render_cmd_line(lkr::program("C:\\LK\\Bin\\sys_list.exe", {}));
  int nodes = 0;
  json sc = scenario();
  for (const auto& c : sc["clusters"]) {
    for (const auto& n : c["nodes"]) {
      std::string system = n["system"];
      int cp = n["codepage"];
      std::string node = c["name"].get<std::string>() + "/" + system;
      INFO(node << " at code page " << cp);
      auto chcp = lab.ssh(node, "chcp");
      REQUIRE(chcp.rc == 0);
      // Windows words chcp's answer in the system's language: Japanese on a 932 node.
      std::string words = cp == 932 ? "現在のコード ページ: " : "Active code page: ";
      CHECK(chcp.out == iconv_encode(words + std::to_string(cp) + "\r\n", cp));
      auto listed = lab.ssh(node, sys_list);
      REQUIRE(listed.rc == 0);
      // The node's own name, in its code page's bytes (not UTF-8 unless 65001).
      std::string expected = iconv_encode(system, cp);
      CHECK(listed.out.find(expected) != std::string::npos);
      if (cp != 65001) CHECK(listed.out.find(system) == std::string::npos);
      ++nodes;
    }
  }
  CHECK(nodes == 13);
}

TEST_CASE("recovery across code pages 437, 850, 932, 1252 and 65001", "[e2e][codepage]") {
  Lab lab(kScenario);
  TempDir logs;
  // The written inventory sets no lk_codepage: each code page is read with chcp.
  CHECK(read_all(lab.inventory_path()).find("lk_codepage") == std::string::npos);

  auto r = e2e::run_all(lab, logs.path);
  INFO(r.process.out << r.process.err);
  REQUIRE(r.process.rc == 0);
  REQUIRE(r.summary.is_object());
  json sc = scenario();
  REQUIRE(r.summary["clusters"].size() == sc["clusters"].size());
  for (const auto& c : r.summary["clusters"]) CHECK(c["status"] == "changed");

  for (const auto& c : sc["clusters"]) {
    std::string replaced = c["replaced"];
    for (const auto& n : c["nodes"]) {
      std::string system = n["system"];
      json d = lab.dump(c["name"].get<std::string>() + "/" + system);
      auto commands = e2e::journal_commands(d);
      INFO(c["name"].get<std::string>() << "/" << system);
      CHECK(std::find(commands.begin(), commands.end(), "chcp") != commands.end());
      if (system == replaced) continue;
      std::string disk = d["on_disk"].dump();
      CHECK(disk.find("\"" + replaced + "\"") == std::string::npos);
      // The non-ASCII tags of this node's hierarchies stay (extended again later).
      for (const auto& h : c["hierarchies"]) {
        bool held = h["in_service_on"] == system;
        for (const auto& to : h["extended_to"]) held = held || to == system;
        if (!held) continue;
        for (const auto& res : h["resources"])
          CHECK(disk.find(res["tag"].get<std::string>()) != std::string::npos);
      }
      CHECK(d["in_memory"] == d["on_disk"]);
      CHECK(d["violations"].empty());
    }
  }

  std::string run_dir = e2e::newest_run_dir(logs.path);
  REQUIRE_FALSE(run_dir.empty());
  int files = 0;
  std::string all_text;
  std::map<std::string, std::string> backups;  // "job-<id>.reg" -> its bytes
  for (const auto& entry : fs::recursive_directory_iterator(run_dir)) {
    if (!entry.is_regular_file()) continue;
    std::string bytes = read_all(entry.path());
    INFO(entry.path().string());
    std::string name = entry.path().filename().string();
    if (name.rfind("job-", 0) == 0 && entry.path().extension() == ".reg") {
      backups[name] = bytes;  // the node's own bytes, not text: checked below
      continue;
    }
    CHECK(valid_utf8(bytes));
    all_text += bytes;
    ++files;
  }
  CHECK(files >= 2);
  // Each job's registry backup is reg export's file byte for byte: UTF-16LE with its BOM,
  // the job's non-ASCII name whole, whatever the node's code page (`type` would have
  // turned it into that code page's bytes).
  for (const auto& c : sc["clusters"])
    for (const auto& h : c["hierarchies"])
      for (const auto& res : h["resources"]) {
        if (!res.contains("mirror")) continue;
        const json& m = res["mirror"];
        INFO(m.dump());
        auto it = backups.find("job-" + m["job_id"].get<std::string>() + ".reg");
        REQUIRE(it != backups.end());
        CHECK(it->second.rfind("\xFF\xFE", 0) == 0);
        CHECK(it->second.find(iconv_to(m["job_name"].get<std::string>(), "UTF-16LE")) !=
              std::string::npos);
      }
  // Names come through decoded, not as '?' or \xNN escapes of code page bytes.
  for (const auto& c : sc["clusters"])
    for (const auto& n : c["nodes"])
      CHECK(all_text.find(n["system"].get<std::string>()) != std::string::npos);
  auto verify = e2e::lkrecover({"audit", "verify", run_dir});
  INFO(verify.out << verify.err);
  CHECK(verify.rc == 0);
}
