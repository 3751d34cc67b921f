// Hostile and odd input end to end: the real lkrecover against
// lab nodes behind real sshd (or WinRM: the WinRM instance, product_run.h) whose system
// names, tags and job names hold cmd's metacharacters, spaces and non-ASCII (Shift_JIS and
// CP1252 nodes), a DataKeeper job with 3 endpoint tuples, and a node that floods its
// output. The lab's journal shows the
// argv each program received: it must equal the values the runbook asks for, byte for byte.
// Then the audit trail of that run is tampered with and `lkrecover audit verify` must
// name the line.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tests/e2e/controller/product_run.h"

using lab::testing::make_temp_dir;
using lab::testing::remove_tree;
using lkr::e2e::Lab;
using lkr::e2e::TempDir;
using nlohmann::json;
namespace e2e = lkr::e2e;
namespace fs = std::filesystem;

namespace {

const std::string kScenarios = LAB_SCENARIO_DIR;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream in(read_file(path));
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const auto& l : lines) out << l << "\n";
}

// The argv (program base name dropped) of every journal entry whose program is `name`.
std::multiset<std::vector<std::string>> argv_tails(const json& dump, const std::string& name) {
  std::multiset<std::vector<std::string>> out;
  for (const auto& entry : dump.at("journal")) {
    auto argv = entry.at("argv").get<std::vector<std::string>>();
    if (argv.empty()) continue;
    std::string program = argv[0];
    auto slash = program.find_last_of("\\/");
    if (slash != std::string::npos) program = program.substr(slash + 1);
    for (auto& c : program) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (program != name && program != name + ".exe") continue;
    out.insert(std::vector<std::string>(argv.begin() + 1, argv.end()));
  }
  return out;
}

// What the scenario file says, read independently of the product.
struct ScenarioCluster {
  std::string name, replaced;
  std::vector<std::string> survivors;
  json raw;
};

std::vector<ScenarioCluster> read_scenario(const std::string& path) {
  json s = json::parse(read_file(path));
  std::vector<ScenarioCluster> out;
  for (const auto& c : s["clusters"]) {
    ScenarioCluster sc{c["name"], c["replaced"], {}, c};
    for (const auto& n : c["nodes"])
      if (!n.value("reinstalled", false)) sc.survivors.push_back(n["system"]);
    out.push_back(sc);
  }
  return out;
}

bool involves(const std::vector<std::string>& participants, const std::string& system) {
  return std::find(participants.begin(), participants.end(), system) != participants.end();
}

// The eqv_remove argv tails the runbook asks for on survivor S: one per resource of a
// hierarchy that S and R both take part in, `-s S -t TAG -S R -o TAG -e SHARED`.
std::multiset<std::vector<std::string>> expected_eqv_removes(const ScenarioCluster& c,
                                                             const std::string& S) {
  std::multiset<std::vector<std::string>> out;
  for (const auto& h : c.raw["hierarchies"]) {
    std::vector<std::string> participants = h["extended_to"];
    participants.push_back(h["in_service_on"]);
    if (!involves(participants, S) || !involves(participants, c.replaced)) continue;
    for (const auto& r : h["resources"]) {
      std::string tag = r["tag"];
      out.insert({"-d", S, "-s", S, "-t", tag, "-S", c.replaced, "-o", tag, "-e", "SHARED"});
    }
  }
  return out;
}

// The net_remove argv tails on survivor S: one per comm path between S and R, S's side,
// as E3/E4 name a path: -d local -s other -D device -r remote -l local. A path's device is
// the scenario's, else the lowest free TCPIP:1500, TCPIP:1510, ... of its pair (LAB.md).
std::multiset<std::vector<std::string>> expected_net_removes(const ScenarioCluster& c,
                                                             const std::string& S) {
  std::vector<json> paths;
  std::set<std::string> taken;
  for (const auto& p : c.raw["comm_paths"]) {
    bool pair = (p["system"] == S && p["othersystem"] == c.replaced) ||
                (p["othersystem"] == S && p["system"] == c.replaced);
    if (!pair) continue;
    paths.push_back(p);
    if (p.contains("device")) taken.insert(p["device"].get<std::string>());
  }
  std::multiset<std::vector<std::string>> out;
  for (const auto& p : paths) {
    std::string device = p.value("device", "");
    for (int port = 1500; device.empty(); port += 10)
      if (taken.insert("TCPIP:" + std::to_string(port)).second)
        device = "TCPIP:" + std::to_string(port);
    bool mine = p["system"] == S;
    out.insert({"-d", S, "-s", c.replaced, "-D", device, "-r",
                mine ? p["remoteaddr"] : p["localaddr"], "-l",
                mine ? p["localaddr"] : p["remoteaddr"]});
  }
  return out;
}

// The `reg delete` argv tails on S: every job with S among its endpoints and R too.
std::multiset<std::vector<std::string>> expected_reg_deletes(const ScenarioCluster& c,
                                                             const std::string& S) {
  std::multiset<std::vector<std::string>> out;
  for (const auto& h : c.raw["hierarchies"]) {
    std::vector<std::string> participants = h["extended_to"];
    participants.push_back(h["in_service_on"]);
    if (!involves(participants, S) || !involves(participants, c.replaced)) continue;
    for (const auto& r : h["resources"])
      if (r.contains("mirror"))
        out.insert({"delete",
                    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs\\" +
                        r["mirror"]["job_id"].get<std::string>(),
                    "/f"});
  }
  return out;
}

// Case-insensitive on ASCII letters (Windows' registry and reg.exe do not care).
std::multiset<std::vector<std::string>> lower(const std::multiset<std::vector<std::string>>& in) {
  std::multiset<std::vector<std::string>> out;
  for (auto v : in) {
    for (auto& s : v)
      for (auto& ch : s)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    out.insert(v);
  }
  return out;
}

bool mentions(const json& j, const std::string& text) {
  return j.dump().find(text) != std::string::npos;
}

// A copy of `run_dir` for one tampering.
std::string copy_run(const std::string& run_dir, const std::string& to) {
  fs::copy(run_dir, to, fs::copy_options::recursive);
  return to;
}

}  // namespace

TEST_CASE("names with & | < > ^ % ! \" ( ), spaces and non-ASCII: exact argv, recovery done",
          "[e2e][hostile]") {
  const std::string scenario = kScenarios + "/hostile-names.json";
  auto clusters = read_scenario(scenario);
  Lab lab(scenario);
  TempDir logs;

  auto run = e2e::run_all(lab, logs.path);
  INFO(run.process.out << run.process.err);
  REQUIRE(run.process.rc == 0);
  REQUIRE(run.summary.is_object());
  for (const auto& c : run.summary["clusters"]) CHECK(c["status"] == "changed");

  for (const auto& c : clusters) {
    for (const auto& S : c.survivors) {
      INFO("cluster " << c.name << ", survivor " << S);
      json d = lab.dump(S);
      // Every argument reached the program exactly as meant: no expansion of %VAR% or
      // !VAR!, no ^ eaten, no & | < > splitting the line, quotes and non-ASCII intact.
      REQUIRE_FALSE(expected_eqv_removes(c, S).empty());
      REQUIRE_FALSE(expected_net_removes(c, S).empty());
      CHECK(argv_tails(d, "eqv_remove") == expected_eqv_removes(c, S));
      CHECK(argv_tails(d, "net_remove") == expected_net_removes(c, S));
      CHECK(argv_tails(d, "sys_remove") ==
            std::multiset<std::vector<std::string>>{{"-d", S, "-s", c.replaced}});
      auto regs = lower(argv_tails(d, "reg"));
      auto wanted = lower(expected_reg_deletes(c, S));
      CHECK(std::includes(regs.begin(), regs.end(), wanted.begin(), wanted.end()));
      CHECK(argv_tails(d, "lcdsync").size() == 1);
      // No program ever ran that the product did not mean to run (a split line would show
      // as an unknown command with rc 9009).
      for (const auto& entry : d["journal"]) CHECK(entry["rc"] != 9009);
      // End state: nothing of R, everything between survivors still there.
      const json& disk = d["on_disk"];
      CHECK_FALSE(mentions(disk["systems"], json(c.replaced).dump()));
      CHECK_FALSE(mentions(disk["equivalencies"], json(c.replaced).dump()));
      CHECK_FALSE(mentions(disk["comm_paths"], json(c.replaced).dump()));
      CHECK(d["in_memory"] == disk);
      CHECK(d["violations"].empty());
      for (const auto& other : c.survivors) CHECK(mentions(disk["systems"], json(other).dump()));
    }
  }
  // Between the two survivors of the first cluster: the comm path and the equivalencies of
  // the hierarchy that never involved R stay.
  const auto& first = clusters.at(0);
  json s1 = lab.dump(first.survivors.at(0));
  CHECK(s1["on_disk"]["comm_paths"].size() == 1);
  CHECK(mentions(s1["on_disk"]["equivalencies"], "Shared S1-S2 & | \\\"keep\\\" ^ %x%"));
  // The job with 3 endpoint tuples (S2 -> S1, S2 -> DR, S1 -> DR) never involved R: it
  // and its mirrors stay on both survivors.
  for (const auto& S : first.survivors) {
    json d = lab.dump(S);
    CHECK(mentions(d["registry_jobs"], "3c3c3c3c-0000-4000-8000-00000000c3c3"));
    CHECK(mentions(d["mirrors"], "\"G\""));
    CHECK_FALSE(mentions(d["registry_jobs"], "3a3a3a3a-0000-4000-8000-00000000e3e3"));
  }

  std::string run_dir = e2e::newest_run_dir(logs.path);
  REQUIRE_FALSE(run_dir.empty());
  // The trail holds the names as UTF-8 text, one valid JSON object a line.
  std::string events = read_file(run_dir + "/events.jsonl");
  CHECK(events.find("データ") != std::string::npos);
  for (const auto& line : read_lines(run_dir + "/events.jsonl"))
    CHECK_FALSE(json::parse(line, nullptr, false).is_discarded());
  auto ev = e2e::validate_json("events.schema.json", run_dir + "/events.jsonl");
  INFO(ev.out << ev.err);
  CHECK(ev.rc == 0);

  SECTION("a second run changes nothing") {
    auto second = e2e::run_all(lab, logs.path);
    INFO(second.process.out << second.process.err);
    REQUIRE(second.process.rc == 0);
    for (const auto& c : second.summary["clusters"]) CHECK(c["status"] == "nothing_to_do");
  }

  SECTION("audit verify: intact, then edited, deleted, inserted and reordered lines named") {
    TempDir work;
    auto clean = e2e::lkrecover({"audit", "verify", run_dir});
    INFO(clean.out << clean.err);
    CHECK(clean.rc == 0);
    CHECK(clean.out.find("audit trail intact") != std::string::npos);

    const auto lines = read_lines(run_dir + "/events.jsonl");
    REQUIRE(lines.size() >= 8);
    auto verify_after = [&](const std::string& name, const std::vector<std::string>& changed) {
      std::string dir = copy_run(run_dir, work.path + "/" + name);
      write_lines(dir + "/events.jsonl", changed);
      return e2e::lkrecover({"audit", "verify", dir});
    };

    auto edited = lines;
    json e3 = json::parse(edited[2]);
    e3["step"] = "something else";  // line 3
    edited[2] = e3.dump();
    auto r = verify_after("edited", edited);
    INFO(r.out << r.err);
    CHECK(r.rc == 1);
    CHECK(r.out.find("events.jsonl:3: edited") != std::string::npos);

    auto deleted = lines;
    deleted.erase(deleted.begin() + 4);  // line 5 (seq 5)
    r = verify_after("deleted", deleted);
    INFO(r.out << r.err);
    CHECK(r.rc == 1);
    CHECK(r.out.find("events.jsonl:5: seq 6 follows seq 4: 1 line(s) deleted (seq 5..5)") !=
          std::string::npos);

    auto inserted = lines;
    inserted.insert(inserted.begin() + 6, lines[5]);  // line 6 again as line 7
    r = verify_after("inserted", inserted);
    INFO(r.out << r.err);
    CHECK(r.rc == 1);
    CHECK(r.out.find("events.jsonl:7: seq 6 already used on line 6: a line was inserted") !=
          std::string::npos);

    auto reordered = lines;
    std::swap(reordered[3], reordered[4]);  // seq order ... 5 4 ...
    r = verify_after("reordered", reordered);
    INFO(r.out << r.err);
    CHECK(r.rc == 1);
    CHECK(r.out.find("events.jsonl:5: seq 4 comes after seq 5: lines reordered") !=
          std::string::npos);

    auto cut = lines;
    cut.pop_back();
    r = verify_after("cut", cut);
    INFO(r.out << r.err);
    CHECK(r.rc == 1);
    CHECK(r.out.find("lines deleted at the end") != std::string::npos);
  }
}

TEST_CASE(
    "a node flooding its output in 1 MB lines: truncation recorded, that cluster fails cleanly",
    "[e2e][hostile]") {
  // The seed cluster twice over: the flood hits one survivor's eqv_list; the other
  // cluster must finish regardless.
  const std::string scenario_dir = make_temp_dir("lkr-e2e-flood-scenario");
  json s = json::parse(read_file(kScenarios + "/seed.json"));
  // The same cluster under other system names (a system belongs to one cluster).
  std::string copy = s["clusters"][0].dump();
  for (auto [from, to] :
       {std::pair<std::string, std::string>{"BENHOGAN2008", "SECONDA"}, {"GPLAYER2008", "SECONDB"}})
    for (auto at = copy.find(from); at != std::string::npos; at = copy.find(from, at))
      copy.replace(at, from.size(), to);
  json second = json::parse(copy);
  second["name"] = "second";
  for (auto& n : second["nodes"]) {
    std::string addr = n["address"];
    n["address"] = addr.substr(0, addr.rfind('.')) + ".1" + addr.substr(addr.rfind('.') + 1);
  }
  s["clusters"].push_back(second);
  // 50 MB. Over WinRM 4 MB: each MB is 32 Receives (lab-winrm answers 32 KiB each), and
  // 50 MB twice over would take about 50 s of CI's budget, where 4 MB already makes the
  // controller read past its 1 MiB cap through 128 Receives. Output over many Receives,
  // whole or capped, is the WinRM transport test's subject.
  const long long kFlood = (e2e::over_winrm() ? 4LL : 50LL) << 20;
  s["clusters"][0]["faults"] =
      json::array({{{"node", "BENHOGAN2008"},
                    {"command", "eqv_list"},
                    {"flood", {{"bytes", kFlood}, {"line_bytes", 1 << 20}}},
                    // run 1 twice (its capped line, then eqv_list read alone), run 2 once
                    {"times", 3}}});
  std::ofstream(scenario_dir + "/flood.json") << s.dump(2);
  Lab lab(scenario_dir + "/flood.json");
  remove_tree(scenario_dir);
  TempDir logs;
  const json disk_before = lab.dump("BENHOGAN2008")["on_disk"];

  auto cluster_named = [](const json& summary, const std::string& name) {
    for (const auto& c : summary["clusters"])
      if (c["name"] == name) return c;
    return json();
  };

  // 1: output held per command capped at 1 MiB: the cut is recorded, the cluster stops.
  auto capped = e2e::run_all(lab, logs.path, {"--max-output", std::to_string(1 << 20)});
  INFO(capped.process.out << capped.process.err);
  CHECK(capped.process.rc == 2);
  REQUIRE(capped.summary.is_object());
  json flooded = cluster_named(capped.summary, "sql-prod");
  // Stopped before any change ("refused": nothing was changed), at the step that read it.
  CHECK(flooded["status"] == "refused");
  CHECK(flooded["failed_step"] == "preflight");
  CHECK(lab.dump("BENHOGAN2008")["on_disk"] == disk_before);
  CHECK_THAT(flooded["failed_host"].get<std::string>(), Catch::Contains("BENHOGAN2008"));
  CHECK_THAT(flooded["reason"].get<std::string>(), Catch::Contains("cut off"));
  CHECK(cluster_named(capped.summary, "second")["status"] == "changed");
  {
    std::string run_dir = e2e::newest_run_dir(logs.path);
    bool recorded = false;
    std::size_t longest = 0;
    for (const auto& line : read_lines(run_dir + "/events.jsonl")) {
      longest = std::max(longest, line.size());
      json e = json::parse(line);
      if (e.value("type", "") == "command" && e.value("truncated", false)) {
        recorded = true;
        CHECK(e["command"].get<std::string>().find("eqv_list") != std::string::npos);
      }
    }
    CHECK(recorded);
    // Only what the cap let through was kept: no line holds the whole flood.
    CHECK(longest < (3u << 20));
  }

  // 2: the default cap (64 MiB) holds the whole flood: parsed, refused with the line quoted.
  auto whole = e2e::run_all(lab, logs.path);
  INFO(whole.process.out << whole.process.err);
  CHECK(whole.process.rc == 2);
  flooded = cluster_named(whole.summary, "sql-prod");
  CHECK(flooded["status"] == "refused");
  CHECK(lab.dump("BENHOGAN2008")["on_disk"] == disk_before);
  std::string reason = flooded["reason"].get<std::string>();
  CHECK_THAT(reason, Catch::Contains("eqv_list") && Catch::Contains("FFFF"));
  CHECK(reason.size() < 1000);

  // 3: the flood is spent: a plain re-run finishes the recovery.
  auto rerun = e2e::run_all(lab, logs.path);
  INFO(rerun.process.out << rerun.process.err);
  CHECK(rerun.process.rc == 0);
  CHECK(cluster_named(rerun.summary, "sql-prod")["status"] == "changed");
  json d = lab.dump("BENHOGAN2008");
  CHECK(d["on_disk"]["systems"] == json::array({"BENHOGAN2008"}));
  CHECK(d["on_disk"]["equivalencies"].empty());
  CHECK(d["violations"].empty());
}
