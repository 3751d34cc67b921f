// The live progress as an operator sees it: build/lkrecover run in a real terminal (a
// detached tmux session of a fixed 160x50 size, on a socket of its own), the screen
// captured at several moments of a run whose every command is slowed down (the scenario's
// "latency_ms"): a status line per cluster while it runs, finished clusters collapsed to
// one line, the checklists and an aligned recap at the end, no escape sequence leaking
// as text; Ctrl-C (sent as keys) freezes the lines and the run ends as interrupted. And
// the same run on a pipe: plain lines, timestamped, no escape sequence at all.
//
// SSH only: what is on the screen does not depend on the transport (WinRM reaches the
// same console through the same NodeSession events). tmux is a build dependency
// (scripts/deps): its absence fails the test, it does not skip it.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

#include "controller/display_width.h"
#include "tasks/runbook.h"
#include "tests/e2e/controller/product_run.h"

using lkr::e2e::Lab;
using lkr::e2e::TempDir;
using nlohmann::json;
namespace e2e = lkr::e2e;

namespace {

const std::string kScenarios = LAB_SCENARIO_DIR;
// The survivor of the second cluster has a name of wide characters (12 columns for 6 code
// points): the recap must line up by display width, not by bytes or code points.
const std::string kWideHost = "本番サーバー";
const std::string kWideCluster = "本番-sql";

// The live line: "[erp] phase equivalencies  hosts 1/2  elapsed 0:07  in flight on BRAVO
// (0.1s): eqv_remove ..." (the command part only while one is in flight).
const std::regex kStatus(
    R"(^\[([^\]]+)\] phase (\S+)  hosts (\d+)/(\d+)  elapsed (\d+:\d\d)(  in flight on (.+) \((\d+\.\d)s\): (.+))?$)");
const std::regex kCollapsed(
    R"(^\[([^\]]+)\] finished: (\w+), (\d+) change\(s\) on (\d+) host\(s\), (\d+:\d\d)$)");
const std::regex kTimestamp(R"(^(\d\d):(\d\d):(\d\d) )");

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// The three-node "erp" cluster and the seed cluster with its survivor renamed, every
// node answering each command `latency_ms` late, on distinct addresses.
std::string write_scenario(const std::string& dir, int latency_ms) {
  json three = json::parse(e2e::read_text(kScenarios + "/three-node.json"));
  std::string seed_text =
      json::parse(e2e::read_text(kScenarios + "/seed.json"))["clusters"][0].dump();
  replace_all(seed_text, "BENHOGAN2008", kWideHost);
  replace_all(seed_text, "127.10.0.", "127.10.1.");  // apart from erp's 127.11.0.x
  json seed = json::parse(seed_text);
  seed["name"] = kWideCluster;
  seed.erase("faults");
  json scenario = {{"clusters", json::array({three["clusters"][0], seed})}};
  for (auto& c : scenario["clusters"])
    for (auto& n : c["nodes"]) {
      n["latency_ms"] = latency_ms;
      if (n["system"] == kWideHost) n["codepage"] = 932;  // a code page that has its name
    }
  std::string path = dir + "/scenario.json";
  std::ofstream(path) << scenario.dump(2);
  return path;
}

std::string shell_quote(const std::string& s) { return "'" + s + "'"; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// A tmux server of our own (its socket in a temporary folder) with one session running
// `command` in a 160x50 terminal; the pane stays after the command ends, so the last
// screen can still be read. The server is killed at scope end.
class TmuxSession {
 public:
  TmuxSession(const std::string& dir, const std::string& command)
      : socket_(dir + "/tmux.sock"), config_(dir + "/tmux.conf") {
    std::ofstream(config_) << "set -g remain-on-exit on\nset -g history-limit 20000\n";
    auto r = tmux({"new-session", "-d", "-s", "lkr", "-x", "160", "-y", "50", command});
    if (r.rc != 0) throw std::runtime_error("tmux new-session failed: " + r.out + r.err);
  }
  ~TmuxSession() { tmux({"kill-server"}); }
  TmuxSession(const TmuxSession&) = delete;
  TmuxSession& operator=(const TmuxSession&) = delete;

  // The visible screen, or with `history` everything the pane printed.
  std::string capture(bool history = false) const {
    std::vector<std::string> args{"capture-pane", "-p", "-t", "lkr"};
    if (history) args.insert(args.end(), {"-J", "-S", "-"});
    return tmux(args).out;
  }
  void send_keys(const std::string& keys) const { tmux({"send-keys", "-t", "lkr", keys}); }
  // The command's exit status once it has ended (the line run_command() prints then).
  std::optional<int> exit_status() const {
    static const std::regex kExit(R"(^\[lkrecover exited with (\d+)\]$)");
    std::smatch m;
    for (const auto& l : lines_of(capture(true)))
      if (std::regex_match(l, m, kExit)) return std::stoi(m[1]);
    return std::nullopt;
  }

 private:
  lab::ProcessResult tmux(std::vector<std::string> args) const {
    std::vector<std::string> argv{
        "env", "TERM=xterm-256color", "LC_ALL=C.UTF-8", "tmux", "-u", "-S", socket_, "-f", config_};
    argv.insert(argv.end(), args.begin(), args.end());
    return lab::run_process(argv, 20000);
  }
  std::string socket_, config_;
};

// Captures until `seen` holds for the screen (or the history), or the deadline passes;
// returns the last capture.
std::string poll(const TmuxSession& tmux, bool history,
                 const std::function<bool(const std::string&)>& seen,
                 std::chrono::seconds limit = std::chrono::seconds(180)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  std::string screen;
  while (std::chrono::steady_clock::now() < deadline) {
    screen = tmux.capture(history);
    if (seen(screen)) return screen;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the poll's pace, not a wait
  }
  return screen;
}

bool any_line(const std::string& screen, const std::regex& re) {
  for (const auto& l : lines_of(screen))
    if (std::regex_match(l, re)) return true;
  return false;
}

// What a terminal would have acted on or what it shows when an escape sequence lost its
// ESC: neither may be on the screen.
void check_no_escape_text(const std::string& screen) {
  INFO(screen);
  CHECK(screen.find('\x1b') == std::string::npos);
  CHECK_FALSE(std::regex_search(screen, std::regex(R"(\[\d+(;\d+)*[mAJ]|\[J)")));
}

int wait_exit(const TmuxSession& tmux) {
  std::optional<int> status;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (!(status = tmux.exit_status()) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  INFO("the command did not end; its screen:\n" << tmux.capture());
  REQUIRE(status.has_value());
  return *status;
}

// The pane's shell ignores Ctrl-C itself (a trap, reset to the default in lkrecover) and
// says how lkrecover ended: tmux does not always reap a pane's process that took SIGINT
// with sigwait, so its own record of the exit status cannot be relied upon.
std::string run_command(const Lab& lab, const std::string& logs) {
  return "trap : INT; env LC_ALL=C.UTF-8 " + shell_quote(LKRECOVER_BINARY) + " run -i " +
         shell_quote(lab.inventory_path()) + " --all --yes --log-dir " + shell_quote(logs) +
         "; echo \"[lkrecover exited with $?]\"";
}

// The recap's host rows: after "PLAY RECAP", the lines that start with two spaces and hold " : ".
std::vector<std::string> recap_rows(const std::string& screen) {
  std::vector<std::string> rows;
  bool in_recap = false;
  for (const auto& l : lines_of(screen)) {
    if (l.find("PLAY RECAP") != std::string::npos) in_recap = true;
    if (in_recap && l.starts_with("  ") && l.find(" : ") != std::string::npos) rows.push_back(l);
  }
  return rows;
}

std::size_t column_of(const std::string& row, const std::string& field) {
  auto at = row.find(field);
  REQUIRE(at != std::string::npos);
  return lkr::display_width(row.substr(0, at));
}

void show(const std::string& title, const std::string& screen) {
  std::cout << "----- " << title << " -----\n" << screen << "----- end -----\n";
}

}  // namespace

TEST_CASE("on a terminal: live status lines, collapsed clusters, then an aligned recap",
          "[e2e][ssh-only]") {
  TempDir dir("lkr-tmux");
  Lab lab(write_scenario(dir.path, 150));
  const auto phases = lkr::tasks::runbook::phases(false);
  TmuxSession tmux(dir.path, run_command(lab, dir.path + "/logs"));

  // Mid-run: a status line per running cluster, at the bottom of the screen.
  std::smatch m;
  std::string mid = poll(tmux, false, [&](const std::string& s) {
    for (const auto& l : lines_of(s))
      if (std::regex_match(l, m, kStatus) && m[6].matched) return true;
    return false;
  });
  show("mid-run", mid);
  check_no_escape_text(mid);
  bool checked_one = false;
  for (const auto& l : lines_of(mid)) {
    if (!std::regex_match(l, m, kStatus)) continue;
    INFO(l);
    CHECK((m[1] == "erp" || m[1] == kWideCluster));
    CHECK(std::find(phases.begin(), phases.end(), m[2].str()) != phases.end());
    CHECK(std::stoi(m[3]) <= std::stoi(m[4]));
    CHECK(std::stoi(m[4]) >= 1);
    CHECK(std::stoi(m[4]) <= (m[1] == "erp" ? 3 : 2));  // the cluster's hosts at most
    if (!m[6].matched) continue;
    std::string host = m[7];
    CHECK((host == "ALPHA" || host == "BRAVO" || host == "CHARLIE" || host == kWideHost ||
           host == "GPLAYER2008"));
    CHECK_FALSE(m[9].str().empty());
    checked_one = true;
  }
  CHECK(checked_one);
  // The region is the last thing on the screen: no permanent line below a status line.
  auto mid_lines = lines_of(mid);
  while (!mid_lines.empty() && mid_lines.back().empty()) mid_lines.pop_back();
  REQUIRE_FALSE(mid_lines.empty());
  CHECK(std::regex_match(mid_lines.back(), kStatus));

  // Later, a runbook step of the table (tasks/runbook.h) as a cluster's phase.
  std::vector<std::string> steps;
  for (const auto& step : lkr::tasks::runbook::steps()) steps.push_back(step.name);
  std::string in_step = poll(tmux, false, [&](const std::string& s) {
    for (const auto& l : lines_of(s))
      if (std::regex_match(l, m, kStatus) &&
          std::find(steps.begin(), steps.end(), m[2].str()) != steps.end())
        return true;
    return false;
  });
  show("mid-run, in a runbook step", in_step);
  check_no_escape_text(in_step);
  CHECK(std::any_of(steps.begin(), steps.end(), [&](const std::string& step) {
    return in_step.find(" phase " + step + "  hosts ") != std::string::npos;
  }));

  // Later: one cluster collapsed to its line (the smaller one finishes first).
  std::string collapsed =
      poll(tmux, false, [](const std::string& s) { return any_line(s, kCollapsed); });
  show("a cluster collapsed", collapsed);
  CHECK(any_line(collapsed, kCollapsed));
  check_no_escape_text(collapsed);

  // The end: exit 0, both clusters collapsed, no status line left, checklists, then the recap.
  CHECK(wait_exit(tmux) == 0);
  std::string end = tmux.capture();
  show("end", end);
  check_no_escape_text(end);
  std::string all = tmux.capture(true);
  check_no_escape_text(all);
  auto all_lines = lines_of(all);
  int collapsed_changed = 0;
  std::size_t last_status = 0, first_checklist = all_lines.size(), recap_at = all_lines.size();
  for (std::size_t i = 0; i < all_lines.size(); ++i) {
    const auto& l = all_lines[i];
    if (std::regex_match(l, m, kCollapsed) && m[2] == "changed" && std::stoi(m[3]) > 0)
      ++collapsed_changed;
    if (std::regex_match(l, kStatus)) last_status = i;
    if (l.find("Re-extension checklist") != std::string::npos)
      first_checklist = std::min(first_checklist, i);
    if (l.starts_with("PLAY RECAP")) recap_at = i;
  }
  CHECK(collapsed_changed == 2);
  CHECK_FALSE(any_line(end, kStatus));  // the region is gone at the end
  CHECK(last_status < first_checklist);
  CHECK(first_checklist < recap_at);
  REQUIRE(recap_at < all_lines.size());

  auto rows = recap_rows(end);
  REQUIRE(rows.size() == 5);  // ALPHA BRAVO CHARLIE, GPLAYER2008 and the wide one
  bool wide_seen = false;
  for (const auto& row : rows) wide_seen = wide_seen || row.find(kWideHost) != std::string::npos;
  CHECK(wide_seen);
  for (const std::string field : {"ok=", "changed=", "unreachable=", "failed=", "skipped="}) {
    std::size_t first = column_of(rows[0], field);
    for (const auto& row : rows) {
      INFO(field << " in: " << row);
      CHECK(column_of(row, field) == first);
    }
  }
  // "  " + the widest name, 本番サーバー: 12 columns, + " : "
  CHECK(column_of(rows[0], "ok=") == 17);
}

TEST_CASE("on a terminal, Ctrl-C freezes the status lines and the run ends interrupted",
          "[e2e][ssh-only]") {
  TempDir dir("lkr-tmux");
  Lab lab(write_scenario(dir.path, 150));
  TmuxSession tmux(dir.path, run_command(lab, dir.path + "/logs"));
  std::string before = poll(tmux, false, [](const std::string& s) { return any_line(s, kStatus); });
  REQUIRE(any_line(before, kStatus));
  tmux.send_keys("C-c");
  CHECK(wait_exit(tmux) == 99);
  std::string all = tmux.capture(true);
  show("after Ctrl-C", tmux.capture());
  check_no_escape_text(all);
  auto lines = lines_of(all);
  auto notice = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
    return l.starts_with("lkrecover: interrupted: letting commands in flight finish");
  });
  REQUIRE(notice != lines.end());
  // Right above the notice, the frozen status lines; after it, none is drawn again.
  REQUIRE(notice != lines.begin());
  CHECK(std::regex_match(*(notice - 1), kStatus));
  CHECK(std::none_of(notice + 1, lines.end(),
                     [](const std::string& l) { return std::regex_match(l, kStatus); }));
  CHECK(std::count_if(lines.begin(), lines.end(), [](const std::string& l) {
          return l.find("lkrecover: interrupted:") != std::string::npos;
        }) == 1);
  CHECK(std::any_of(notice, lines.end(),
                    [](const std::string& l) { return l.starts_with("PLAY RECAP"); }));
}

TEST_CASE("on a pipe: plain lines, each event with the local time, no escape sequence",
          "[e2e][ssh-only]") {
  TempDir dir("lkr-plain");
  Lab lab(write_scenario(dir.path, 0));
  auto seconds_of_day = [] {
    std::time_t now = std::time(nullptr);
    std::tm t{};
    localtime_r(&now, &t);
    return t.tm_hour * 3600 + t.tm_min * 60 + t.tm_sec;
  };
  int start = seconds_of_day();
  auto r = e2e::lkrecover(
      {"run", "-i", lab.inventory_path(), "--all", "--yes", "--log-dir", dir.path + "/logs", "-v"});
  int end = seconds_of_day();
  INFO(r.out << r.err);
  REQUIRE(r.rc == 0);
  CHECK(r.out.find('\x1b') == std::string::npos);
  auto lines = lines_of(r.out);
  REQUIRE_FALSE(lines.empty());
  std::smatch m;
  int stamped = 0;
  for (const auto& l : lines) {
    if (!std::regex_search(l, m, kTimestamp)) continue;
    ++stamped;
    int t = std::stoi(m[1]) * 3600 + std::stoi(m[2]) * 60 + std::stoi(m[3]);
    if (end >= start) {  // no midnight in between
      INFO(l);
      CHECK(t >= start);
      CHECK(t <= end);
    }
  }
  auto stamped_line = [&](const std::string& rest) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) {
      return std::regex_search(l, kTimestamp) && l.substr(9) == rest;
    });
  };
  CHECK(std::regex_search(lines[0], kTimestamp));
  CHECK(stamped_line("[erp] phase preflight: 3 host(s)"));
  CHECK(stamped_line("[erp] phase verify: 2 host(s)"));
  CHECK(stamped_line("PLAY RECAP " + std::string(60, '*')));
  // -v: every command with its duration, "[0.16 s]".
  CHECK(std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
    return std::regex_search(
        l,
        std::regex(R"(^\d\d:\d\d:\d\d \[erp\] ALPHA \| preflight \| ok \| .* \[\d+\.\d\d s\]$)"));
  }));
  CHECK(stamped > 20);
}
