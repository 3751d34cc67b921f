// The recap: counts per step (a step once per host, with its worst status) and columns
// that line up whatever the host names' widths; the checklists of recovered clusters.
#include "controller/recap_text.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "controller/display_width.h"

using lkr::ClusterStatus;
using lkr::HostTally;
using lkr::StepStatus;

namespace {

std::string plain(const std::string& text, const char*) { return text; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// The host rows of the recap (they start with two spaces and hold " : ").
std::vector<std::string> host_rows(const std::string& text) {
  std::vector<std::string> rows;
  for (const auto& l : lines_of(text))
    if (l.starts_with("  ") && l.find(" : ") != std::string::npos) rows.push_back(l);
  return rows;
}

std::size_t column_of(const std::string& row, const std::string& field) {
  auto at = row.find(field);
  REQUIRE(at != std::string::npos);
  return lkr::display_width(row.substr(0, at));
}

// ALPHA: 5 preflight reads, 7 snapshot reads, 2 eqv_remove and a check, 3 cluster-serial
// changes, 4 verify reads: 21 commands, 5 steps.
HostTally alpha() {
  HostTally t;
  for (int i = 0; i < 5; ++i) t.add("preflight", StepStatus::ok);
  for (int i = 0; i < 7; ++i) t.add("snapshot", StepStatus::ok);
  t.add("equivalencies", StepStatus::changed);
  t.add("equivalencies", StepStatus::changed);
  t.add("equivalencies", StepStatus::ok);
  for (int i = 0; i < 3; ++i) t.add("cluster-serial", StepStatus::changed);
  for (int i = 0; i < 4; ++i) t.add("verify", StepStatus::ok);
  return t;
}

lkr::RunSummary two_clusters() {
  lkr::RunSummary s;
  lkr::ClusterOutcome erp;
  erp.name = "erp";
  erp.replaced = "CHARLIE";
  erp.status = ClusterStatus::changed;
  erp.hosts["ALPHA"] = alpha();
  HostTally bravo;  // changed, then failed, in one step: the step failed
  bravo.add("preflight", StepStatus::ok);
  bravo.add("equivalencies", StepStatus::changed);
  bravo.add("equivalencies", StepStatus::failed);
  erp.hosts["BRAVO"] = bravo;
  erp.checklist = {"extend IP-ERP-APP to CHARLIE"};
  s.clusters.push_back(erp);

  lkr::ClusterOutcome jp;
  jp.name = "本番";
  jp.replaced = "N2";
  jp.status = ClusterStatus::failed;
  jp.checklist = {"never shown: the cluster was not recovered"};
  HostTally wide;  // ten steps ok: a two-digit count widens the ok column
  for (int i = 0; i < 10; ++i) wide.add("step" + std::to_string(i), StepStatus::ok);
  jp.hosts["本番サーバー"] = wide;
  HostTally lost;
  lost.add("connect", StepStatus::unreachable);
  jp.hosts["N2"] = lost;
  s.clusters.push_back(jp);
  return s;
}

}  // namespace

TEST_CASE("a step's status on a host is its worst command's") {
  using lkr::worse;
  CHECK(worse(StepStatus::ok, StepStatus::skipped) == StepStatus::ok);
  CHECK(worse(StepStatus::skipped, StepStatus::ok) == StepStatus::ok);
  CHECK(worse(StepStatus::ok, StepStatus::changed) == StepStatus::changed);
  CHECK(worse(StepStatus::changed, StepStatus::unreachable) == StepStatus::unreachable);
  CHECK(worse(StepStatus::failed, StepStatus::unreachable) == StepStatus::failed);
  HostTally a = alpha();
  CHECK(a.ok == 17);  // per command
  CHECK(a.changed == 5);
  HostTally steps = a.by_step();
  CHECK(steps.ok == 3);       // preflight, snapshot, verify
  CHECK(steps.changed == 2);  // equivalencies, cluster-serial
  CHECK(steps.failed == 0);
}

TEST_CASE("the recap counts steps, not commands") {
  std::string text = lkr::recap_text(two_clusters(), plain);
  auto rows = host_rows(text);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].find("ALPHA") != std::string::npos);
  CHECK(rows[0].find("ok=3 ") != std::string::npos);
  CHECK(rows[0].find("changed=2 ") != std::string::npos);
  CHECK(rows[0].find("ok=17") == std::string::npos);
  CHECK(rows[1].find("BRAVO") != std::string::npos);
  CHECK(rows[1].find("ok=1 ") != std::string::npos);
  CHECK(rows[1].find("changed=0 ") != std::string::npos);
  CHECK(rows[1].find("failed=1 ") != std::string::npos);
  CHECK(rows[2].find("N2") != std::string::npos);  // map order: "N2" before "本番..."
  CHECK(rows[2].find("unreachable=1 ") != std::string::npos);
}

TEST_CASE("the recap's columns line up across clusters, wide host names included") {
  std::string text = lkr::recap_text(two_clusters(), plain);
  auto rows = host_rows(text);
  REQUIRE(rows.size() == 4);
  // "  " + the widest name (本番サーバー: 6 wide characters, 12 columns) + " : "
  for (const auto& row : rows) CHECK(column_of(row, "ok=") == 17);
  // "ok=10" is the widest ok field (5): two spaces after it.
  for (const auto& row : rows) CHECK(column_of(row, "changed=") == 24);
  // "changed=2" (9 columns, every count has one digit) and two spaces.
  for (const auto& row : rows) CHECK(column_of(row, "unreachable=") == 35);
  for (const auto& row : rows) CHECK(column_of(row, "failed=") == 50);
  for (const auto& row : rows) CHECK(column_of(row, "skipped=") == 60);
}

TEST_CASE("the recap names each cluster, its status, and where a stopped one stopped") {
  auto summary = two_clusters();
  summary.clusters[1].failed_step = "preflight";
  summary.clusters[1].failed_host = "N2";
  summary.clusters[1].reason = "cannot connect";
  summary.clusters[1].next = "fix it, then re-run";
  auto lines = lines_of(lkr::recap_text(summary, plain));
  REQUIRE(lines.size() == 9);
  CHECK(lines[0].starts_with("PLAY RECAP ***"));
  CHECK(lines[1] == "[erp] replaced=CHARLIE  status=changed");
  CHECK(lines[4] == "[本番] replaced=N2  status=failed");
  CHECK(lines[7] == "  stopped at step 'preflight' on N2: cannot connect");
  CHECK(lines[8] == "  next: fix it, then re-run");
}

TEST_CASE("colour goes around the fields, after the padding") {
  auto marks = [](const std::string& t, const char* code) {
    return "<" + std::string(code) + ">" + t + "</>";
  };
  auto rows = host_rows(lkr::recap_text(two_clusters(), marks));
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].find("<32>ok=3</>   <33>changed=2</>  unreachable=0") != std::string::npos);
  CHECK(rows[1].find("<31>failed=1</>") != std::string::npos);  // red only when something failed
  CHECK(rows[0].find("<31>") == std::string::npos);
}

TEST_CASE("after check, each survivor's row ends with its pending changes") {
  auto summary = two_clusters();
  summary.clusters[0].status = ClusterStatus::changes_pending;
  summary.clusters[0].pending = {{"ALPHA", 7}, {"BRAVO", 0}};
  auto rows = host_rows(lkr::recap_text(summary, plain));
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].ends_with("skipped=0  pending=7"));
  CHECK(rows[1].ends_with("skipped=0  pending=0"));
  CHECK(rows[2].ends_with("skipped=0"));  // not a `check` cluster: nothing pending shown
  // A run (status changed) plans too, but shows what it did, not what it planned.
  summary.clusters[0].status = ClusterStatus::changed;
  CHECK(host_rows(lkr::recap_text(summary, plain))[0].ends_with("skipped=0"));
}

TEST_CASE("the checklists of the recovered clusters only") {
  CHECK(lkr::checklists_text(two_clusters()) ==
        "[erp] Re-extension checklist (runbook steps 9-10):\n"
        "    extend IP-ERP-APP to CHARLIE");
  lkr::RunSummary none;
  CHECK(lkr::checklists_text(none).empty());
}
