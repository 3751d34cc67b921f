// The built-ins and reg commands the product emits, each rendered by the quoting layer
// and run as `cmd.exe /c <line>` under Wine and in the lab emulator, on the same files and
// registry contents: exit code, stdout, stderr and the effect on the files must agree.
// Where Wine itself is not Windows, the difference is listed in kKnown (with its entry in
// DIVERGENCES.md) and reported, not failed; a listed difference that disappears is
// reported too, so the list cannot go stale silently.
#include "tests/wine/builtin_cases.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "tests/lab/node/node_state.h"
#include "tests/wine/argv_cases.h"
#include "tests/wine/emulator_node.h"
#include "transports/cmd_quoting.h"

namespace wine {
namespace {

namespace fs = std::filesystem;

constexpr const char* kJobs =
    "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs";
constexpr const char* kJobId = "e829700c-27b0-447f-b852-1a3135da31a7";

std::string job_key() { return std::string(kJobs) + "\\" + kJobId; }

struct Step {
  std::string label;
  lkr::Command command;
};

struct Case {
  std::string name;
  std::vector<std::pair<std::string, std::string>> files;  // Windows path, content
  std::vector<Step> steps;
  std::vector<std::string> check_exists;  // compared after the last step
  std::string compare_file;               // a file both sides wrote, compared byte for byte
};

lkr::Command if_exist(const std::string& path) {
  lkr::Command c{lkr::CommandKind::if_exist, "if exist", {}};
  c.args.push_back({path, false});
  return c;
}

const std::string kOdd = "C:\\lkr test\\a&b (x);c,d=e!f^g\\ボリューム";

std::vector<Case> cases() {
  using lkr::builtin;
  using lkr::program;
  std::string reg_file = std::string("C:\\Windows\\Temp\\lkrecover-") + kJobId + ".reg";
  std::vector<std::string> add_name = {"add",    job_key(), "/v",    "Name", "/t",
                                       "REG_SZ", "/d",      "E Vol", "/f"};
  std::vector<std::string> add_description = {"add",    job_key(), "/v", "Description", "/t",
                                              "REG_SZ", "/d",      "",   "/f"};
  // E6: the job's tuples are the REG_MULTI_SZ value Endpoints; reg add separates the
  // entries with the two characters \0.
  std::vector<std::string> add_ends = {"add",
                                       job_key(),
                                       "/v",
                                       "Endpoints",
                                       "/t",
                                       "REG_MULTI_SZ",
                                       "/d",
                                       "BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A\\0"
                                       "BENHOGAN2008;E;10.200.8.25;THIRD;E;10.200.8.27;A",
                                       "/f"};
  return {
      {"del an existing file",
       {{"C:\\lkrtest\\LKDRInfo.E", "x\r\n"}},
       {{"del", builtin("del", {"C:\\lkrtest\\LKDRInfo.E"})}},
       {"C:\\lkrtest\\LKDRInfo.E"},
       ""},
      {"del a missing file", {}, {{"del", builtin("del", {"C:\\lkrtest\\NoSuch.E"})}}, {}, ""},
      {"del with spaces, cmd metacharacters and Japanese in the path",
       {{kOdd + "\\LKDRInfo.E", "x\r\n"}, {kOdd + "\\keep.E", "y\r\n"}},
       {{"del", builtin("del", {kOdd + "\\LKDRInfo.E"})}},
       {kOdd + "\\LKDRInfo.E", kOdd + "\\keep.E"},
       ""},
      {"if exist",
       {{"C:\\lkrtest\\present.E", "x\r\n"}, {kOdd + "\\present.E", "x\r\n"}},
       {{"present", if_exist("C:\\lkrtest\\present.E")},
        {"absent", if_exist("C:\\lkrtest\\absent.E")},
        {"odd path present", if_exist(kOdd + "\\present.E")},
        {"odd path absent", if_exist(kOdd + "\\absent.E")}},
       {},
       ""},
      {"cd /d",
       {{"C:\\lkrtest\\present.E", "x\r\n"}, {kOdd + "\\present.E", "x\r\n"}},
       {{"existing folder", builtin("cd", {"/d", "C:\\lkrtest"})},
        {"odd existing folder", builtin("cd", {"/d", kOdd})},
        {"missing folder", builtin("cd", {"/d", "C:\\lkrtest\\nowhere"})}},
       {},
       ""},
      {"type",
       {{"C:\\lkrtest\\LKDRInfo.E", "first line\r\nsecond line\r\n"}},
       {{"existing", builtin("type", {"C:\\lkrtest\\LKDRInfo.E"})},
        {"missing", builtin("type", {"C:\\lkrtest\\NoSuch.E"})}},
       {},
       ""},
      // Not emitted by the product: the plainest view of W1 (Wine removes carets before it
      // expands %NAME%), which the argv cases work around with an environment (see there).
      {"percent after caret (W1 probe)",
       {},
       {{"echo %PATH%", builtin("echo", {"%PATH%"})}},
       {},
       ""},
      {"reg query, export, delete /f on a DataKeeper job key",
       {},
       {{"add Name", program("reg", add_name)},
        {"add Description", program("reg", add_description)},
        {"add Endpoints", program("reg", add_ends)},
        {"query jobs", program("reg", {"query", kJobs})},
        {"query jobs /s", program("reg", {"query", kJobs, "/s"})},
        {"query job", program("reg", {"query", job_key()})},
        {"export", program("reg", {"export", job_key(), reg_file, "/y"})},
        {"delete /f", program("reg", {"delete", job_key(), "/f"})},
        {"query deleted", program("reg", {"query", job_key()})},
        {"delete missing /f", program("reg", {"delete", job_key(), "/f"})}},
       {reg_file},
       reg_file},
  };
}

// Case name + step label + field ("rc", "stdout", "stderr", "file") -> DIVERGENCES.md id.
const std::map<std::string, std::string> kKnown = {
#include "tests/wine/builtin_divergences.inc"
};

struct Observed {
  int rc = 0;
  std::string out, err;
};

std::string shown(const std::string& bytes) {
  std::string s;
  for (unsigned char c : bytes) {
    if (c == '\r')
      s += "\\r";
    else if (c == '\n')
      s += "\\n";
    else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      s += buf;
    } else
      s += static_cast<char>(c);
  }
  return s;
}

std::string read_file(const std::string& host) {
  std::ifstream in(host, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& host, const std::string& content) {
  fs::create_directories(fs::path(host).parent_path());
  std::ofstream(host, std::ios::binary) << content;
}

// Wine lists a key's values sorted by name and keeps its own spelling of existing keys
// (System for SYSTEM); Windows lists them in creation order (W4, W5 in DIVERGENCES.md).
// This form (UTF-16LE reduced to its ASCII, key lines lower-cased, the lines of each
// block sorted) must agree, so only those two differences are forgiven.
std::string order_and_case_free(const std::string& text) {
  std::string ascii;
  bool utf16 = text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0xFF &&
               static_cast<unsigned char>(text[1]) == 0xFE;
  for (size_t i = utf16 ? 2 : 0; i < text.size(); i += utf16 ? 2 : 1) ascii += text[i];
  std::vector<std::string> lines;
  std::string line;
  for (char c : ascii) {
    if (c == '\n') {
      lines.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  lines.push_back(line);
  for (auto& l : lines)
    if (l.rfind("[", 0) == 0 || l.rfind("HKEY_", 0) == 0)
      for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

struct Tally {
  int agree = 0, known = 0, unknown = 0, fixed = 0;
  void compare(const std::string& where, const std::string& field, const std::string& wine,
               const std::string& emulator) {
    auto k = kKnown.find(where + " | " + field);
    bool same = wine == emulator;
    if (same && k == kKnown.end()) {
      ++agree;
      return;
    }
    if (same) {
      ++fixed;
      std::cout << "NOTE: listed divergence " << k->second << " no longer occurs: " << where
                << " | " << field << "\n";
      return;
    }
    if (k != kKnown.end()) {
      ++known;
      std::cout << "known " << k->second << ": " << where << " | " << field << "\n";
    } else {
      ++unknown;
      std::cout << "DIFFERENCE: " << where << " | " << field << "\n";
    }
    std::cout << "  wine:     " << shown(wine) << "\n  emulator: " << shown(emulator) << "\n";
  }
};

// A file path whose folder and file names hold what a Windows name may hold and cmd
// treats specially: blanks, & ^ ( ) , ; = ! ' ` and %, plus non-ASCII. No name starts or
// ends with a blank or ends with a dot (Win32 strips those). Deterministic per index.
std::string generated_path(std::uint64_t index, bool with_percent) {
  static const std::vector<std::string> pieces = {
      "a", "Z", "0", "-", "_", ".", " ", "&", "^", "(", ")", ",", ";", "=",    "!",      "'",
      "`", "~", "@", "#", "$", "{", "}", "[", "]", "+", "é", "ü", "Ω", "日本", "テスト", "%"};
  std::uint64_t x = index * 6364136223846793005ULL + 1442695040888963407ULL;
  auto next = [&](std::uint64_t n) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return static_cast<size_t>(x % n);
  };
  auto name = [&] {
    std::string n = "n";  // never starts with a blank
    for (size_t k = 1 + next(6); k > 0; --k) {
      const std::string& p = pieces[next(pieces.size())];
      if (p == "%" && !with_percent) continue;
      n += p;
    }
    return n + "x";  // never ends with a blank or a dot
  };
  return "C:\\lkrgen\\" + name() + "\\" + name() + ".E";
}

// For each generated path: the file exists on both sides; `if exist` says yes on both
// (paths without %, which `if exist` refuses); `del` gives the same exit code and output
// on both and removes the file on both.
void run_generated_paths(const Prefix& prefix, Tally& tally, int count, int& steps) {
  // No PATH: built-ins need none, and W1 then cannot expand a `%` of a path.
  CmdRunner runner(prefix, /*keep_path=*/false);
  EmulatorNode node(437, "C:\\Program Files\\SIOS\\DataKeeper");
  for (int i = 0; i < count; ++i) {
    bool with_percent = i % 3 == 2;
    std::string path = generated_path(static_cast<std::uint64_t>(i), with_percent);
    fs::remove_all(prefix.host_path("C:\\lkrgen"));
    fs::remove_all(node.dir() + "/C/lkrgen");
    std::string rel = path.substr(3);
    for (char& ch : rel)
      if (ch == '\\') ch = '/';
    write_file(prefix.host_path("C:\\") + "/" + rel, "x\r\n");
    write_file(node.dir() + "/C/" + rel, "x\r\n");
    std::string where = "generated path " + std::to_string(i) + " " + path;
    if (path.find('%') == std::string::npos) {
      std::string line = lkr::render_cmd_line(if_exist(path));
      ++steps;
      CmdResult w = runner.run(line);
      EmulatorResult e = node.run(line);
      tally.compare(where + " | if exist", "stdout", w.out, e.out);
      tally.compare(where + " | if exist", "stdout is yes", w.out == "yes\r\n" ? "yes" : w.out,
                    "yes");
    }
    std::string line = lkr::render_cmd_line(lkr::builtin("del", {path}));
    ++steps;
    CmdResult w = runner.run(line);
    EmulatorResult e = node.run(line);
    tally.compare(where + " | del", "rc", std::to_string(w.rc), std::to_string(e.rc));
    tally.compare(where + " | del", "stdout", w.out, e.out);
    tally.compare(where + " | del", "stderr", w.err, e.err);
    auto emu_host = lab::host_path(node.dir(), path);
    tally.compare(where + " | del", "file removed",
                  fs::exists(prefix.host_path(path)) ? "kept" : "removed",
                  emu_host && fs::exists(*emu_host) ? "kept" : "removed");
  }
}

}  // namespace

int run_builtin_cases(const Prefix& prefix) {
  CmdRunner runner(prefix, /*keep_path=*/true);
  Tally tally;
  int steps = 0;
  for (const Case& c : cases()) {
    EmulatorNode node(437, "C:\\Program Files\\SIOS\\DataKeeper");
    // Wine's prefix persists between runs: start each case from the same nothing.
    fs::remove_all(prefix.host_path("C:\\lkrtest"));
    fs::remove_all(prefix.host_path("C:\\lkr test"));
    fs::remove(prefix.host_path(std::string("C:\\Windows\\Temp\\lkrecover-") + kJobId + ".reg"));
    runner.run(lkr::render_cmd_line(lkr::program("reg", {"delete", job_key(), "/f"})));
    for (const auto& [path, content] : c.files) {
      write_file(prefix.host_path(path), content);
      fs::create_directories(node.dir() + "/C");
      std::string rel = path.substr(3);
      for (char& ch : rel)
        if (ch == '\\') ch = '/';
      write_file(node.dir() + "/C/" + rel, content);
    }
    for (const Step& s : c.steps) {
      ++steps;
      std::string line = lkr::render_cmd_line(s.command);
      CmdResult w = runner.run(line);
      EmulatorResult e = node.run(line);
      std::string where = c.name + " | " + s.label;
      tally.compare(where, "rc", std::to_string(w.rc), std::to_string(e.rc));
      tally.compare(where, "stdout", w.out, e.out);
      auto known = kKnown.find(where + " | stdout");
      if (w.out != e.out && known != kKnown.end() && known->second.find("W4") != std::string::npos)
        tally.compare(where, "stdout, value order and key case aside", order_and_case_free(w.out),
                      order_and_case_free(e.out));
      tally.compare(where, "stderr", w.err, e.err);
    }
    for (const auto& path : c.check_exists) {
      auto emu_host = lab::host_path(node.dir(), path);
      bool in_emulator = emu_host && fs::exists(*emu_host);
      bool in_wine = fs::exists(prefix.host_path(path));
      tally.compare(c.name + " | after | " + path, "exists", in_wine ? "yes" : "no",
                    in_emulator ? "yes" : "no");
    }
    if (!c.compare_file.empty()) {
      auto emu_host = lab::host_path(node.dir(), c.compare_file);
      tally.compare(c.name + " | after | " + c.compare_file, "content",
                    read_file(prefix.host_path(c.compare_file)),
                    emu_host ? read_file(*emu_host) : "");
      tally.compare(c.name + " | after | " + c.compare_file,
                    "content, value order and key case aside",
                    order_and_case_free(read_file(prefix.host_path(c.compare_file))),
                    order_and_case_free(emu_host ? read_file(*emu_host) : ""));
    }
  }
  run_generated_paths(prefix, tally, 150, steps);
  std::printf(
      "builtin conformance: %d steps; %d comparisons agree, %d known Wine divergences, %d "
      "unexplained differences, %d listed divergences no longer seen\n",
      steps, tally.agree, tally.known, tally.unknown, tally.fixed);
  return tally.unknown == 0 ? 0 : 1;
}

}  // namespace wine
