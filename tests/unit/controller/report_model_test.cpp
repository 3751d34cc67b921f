// The report read from a real audit folder (written by AuditTrail, as a run writes it)
// with hostile names, and the refusal of folders that are not audit folders.
#include <catch2/catch.hpp>
#include <regex>

#include "controller/audit_trail.h"
#include "controller/cli_options.h"
#include "controller/report/run_report_html.h"
#include "controller/report/run_report_markdown.h"
#include "controller/report/run_report_model.h"
#include "controller/report/run_report_writer.h"
#include "inventory/file_digest.h"
#include "tests/unit/controller/audit_test_support.h"

using namespace lkr;
using lkr::report::ReportError;
using lkr::test::TempLogDir;
using Clock = std::chrono::system_clock;

namespace {

const std::string kHostileHost = "<script>alert('h')</script>";
const std::string kHostileCluster = "sql & \"prod\"";

CommandEvent command_at(Clock::time_point t0, int from_ms, int to_ms, const std::string& host,
                        const std::string& step, const std::string& out) {
  CommandEvent e;
  e.cluster = kHostileCluster;
  e.host = host;
  e.step = step;
  e.command = "eqv_list </pre><img src=x>";
  e.start = t0 + std::chrono::milliseconds(from_ms);
  e.end = t0 + std::chrono::milliseconds(to_ms);
  e.exit_code = 0;
  e.stdout_text = out;
  e.status = step == "preflight" ? StepStatus::ok : StepStatus::changed;
  return e;
}

// A finished run: two commands (one second of preflight on the hostile host, then two
// seconds of the cluster-serial step on B&B), the approval, the plan and the checklist.
std::filesystem::path write_run(const std::filesystem::path& log_dir, bool with_phases) {
  RunStart start;
  start.mode = "run";
  ClusterOutcome c;
  c.name = kHostileCluster;
  c.replaced = "<b>GONE</b>";
  start.clusters.push_back(c);
  AuditTrail trail(log_dir, start);
  auto t0 = Clock::now();
  if (with_phases) trail.phase(kHostileCluster, "preflight", PhaseEdge::start, "");
  trail.command(command_at(t0, 0, 1000, kHostileHost, "preflight", "</details>\x1b[2J"));
  if (with_phases) {
    trail.phase(kHostileCluster, "preflight", PhaseEdge::end, "ok");
    trail.phase(kHostileCluster, "cluster_serial", PhaseEdge::start, "");
  }
  trail.command(command_at(t0, 1000, 3000, "B&B", "cluster_serial", "done\r\n"));
  if (with_phases) trail.phase(kHostileCluster, "cluster_serial", PhaseEdge::end, "changed");
  trail.snapshot(kHostileCluster, "", "plan.txt", "PLAN <i>\n");
  trail.note("", "", "confirm",
             "approved with --yes by root; plan sha256 " + lkr::sha256_hex("PLAN <i>\n"));
  trail.snapshot(kHostileCluster, "", "reextension-checklist.txt", "1. extend <Vol.E>\n");
  RunSummary summary;
  c.status = ClusterStatus::changed;
  summary.clusters.push_back(c);
  trail.finish(summary, 0);
  return trail.dir();
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

struct Rect {
  double x = 0, width = 0;
};

std::vector<Rect> rects_of_class(const std::string& svg, const std::string& cls) {
  std::vector<Rect> out;
  std::regex re("<rect class=\"" + cls + "\" x=\"([0-9.]+)\" y=\"[0-9.]+\" width=\"([0-9.]+)\"");
  for (std::sregex_iterator it(svg.begin(), svg.end(), re), end; it != end; ++it)
    out.push_back(Rect{std::stod((*it)[1]), std::stod((*it)[2])});
  return out;
}

}  // namespace

TEST_CASE("report: hostile names and outputs reach the page as text", "[unit][report]") {
  TempLogDir log;
  auto run_dir = write_run(log.path(), false);
  auto r = report::load_run_report(run_dir);
  std::string html = report::render_html(r);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("</pre><img") == std::string::npos);
  CHECK(html.find("<b>GONE") == std::string::npos);
  CHECK(html.find("\x1b") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;h&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("sql &amp; &quot;prod&quot;") != std::string::npos);
  // The timeline's lane label is cut at 22 characters ("<script>alert('h')</sc"), the
  // whole name its tooltip.
  CHECK(html.find(">&lt;script&gt;alert(&#39;h&#39;)&lt;/sc…<title>&lt;script&gt;alert(&#39;h&#39;)"
                  "&lt;/script&gt;</title>") != std::string::npos);
  // Only the page's own </details>: one per command, the plan's, the command list's.
  CHECK(count(html, "</details>") == count(html, "<details>"));
  CHECK(html.find("&lt;/details&gt;\\x1b[2J") != std::string::npos);

  std::string md = report::render_markdown(r);
  // In Markdown a `<` is markup unless a backslash escapes it (or a code block holds it).
  CHECK_FALSE(std::regex_search(md, std::regex("(^|[^\\\\])<(script|b>)")));
  CHECK(md.find("\\<script\\>alert\\('h'\\)\\</script\\>") != std::string::npos);
  CHECK(md.find("sql \\& \"prod\"") != std::string::npos);
}

TEST_CASE("report: one bar per command, placed by its times", "[unit][report]") {
  TempLogDir log;
  auto r = report::load_run_report(write_run(log.path(), false));
  REQUIRE(r.clusters.size() == 1);
  std::string html = report::render_html(r);
  auto bars = rects_of_class(html, "cmd-bar");
  REQUIRE(bars.size() == 2);
  // 1 s then 2 s back to back on one axis: the second bar is twice as wide and starts
  // where the first ends (to the 0.1 unit the SVG is written with).
  CHECK(bars[1].width == Approx(2 * bars[0].width).margin(0.2));
  CHECK(bars[1].x == Approx(bars[0].x + bars[0].width).margin(0.2));
  // No phase events: the cluster-serial window is derived from its step's commands.
  auto serial = rects_of_class(html, "serial-window");
  REQUIRE(serial.size() == 1);
  CHECK(serial[0].x == Approx(bars[1].x).margin(0.2));
  CHECK(serial[0].width == Approx(bars[1].width).margin(0.2));
  REQUIRE(r.clusters[0].windows.size() == 2);
  CHECK_FALSE(r.clusters[0].windows[0].cluster_serial);
  CHECK(r.clusters[0].windows[1].cluster_serial);
  CHECK_FALSE(r.clusters[0].windows[1].from_phase_events);
}

TEST_CASE("report: phase events give the windows when the trail has them", "[unit][report]") {
  TempLogDir log;
  auto r = report::load_run_report(write_run(log.path(), true));
  REQUIRE(r.clusters.size() == 1);
  const auto& w = r.clusters[0].windows;
  REQUIRE(w.size() == 2);
  CHECK(w[0].name == "preflight");
  CHECK(w[0].status == "ok");
  CHECK(w[1].name == "cluster_serial");
  CHECK(w[1].cluster_serial);
  CHECK(w[1].from_phase_events);
  CHECK(w[1].status == "changed");
}

TEST_CASE("report: approval, saved plan, chain and checklist", "[unit][report]") {
  TempLogDir log;
  auto run_dir = write_run(log.path(), false);
  auto r = report::load_run_report(run_dir);
  REQUIRE(r.approval);
  CHECK(r.approval->message.find("approved with --yes by root") == 0);
  REQUIRE(r.clusters[0].plan);
  CHECK(r.clusters[0].plan->found);
  CHECK(r.clusters[0].plan->matches);
  CHECK(r.chain_problems.empty());
  CHECK_FALSE(r.unfinished);
  REQUIRE(r.clusters[0].checklist_txt);
  CHECK(r.clusters[0].checklist_txt->content == "1. extend <Vol.E>\n");
  std::string html = report::render_html(r);
  CHECK(html.find("The saved plans are the approved ones.") != std::string::npos);
  CHECK(html.find("Trail intact: hash chain verified.") != std::string::npos);
  // The checklist is the page's last section.
  CHECK(html.rfind("<section") == html.find("<section id=\"checklists\""));

  SECTION("an edited plan and a broken chain are shown as such") {
    auto plan = run_dir / r.clusters[0].plan->path;
    lkr::test::write_bytes(plan, "PLAN <i> edited\n");
    auto lines = lkr::test::read_lines(run_dir / "events.jsonl");
    lines.erase(lines.begin());
    lkr::test::write_lines(run_dir / "events.jsonl", lines);
    auto edited = report::load_run_report(run_dir);
    CHECK_FALSE(edited.clusters[0].plan->matches);
    CHECK_FALSE(edited.chain_problems.empty());
    std::string page = report::render_html(edited);
    CHECK(page.find("differs from the trail") != std::string::npos);
    CHECK(page.find("The trail does not verify (hash chain)") != std::string::npos);
    CHECK(page.find("do not hash to the approved plan") != std::string::npos);
  }
}

TEST_CASE("report: a folder that is not an audit folder is refused", "[unit][report]") {
  TempLogDir log;
  auto dir = log.path() / "x";
  std::filesystem::create_directories(dir);
  auto refusal = [&]() -> std::string {
    try {
      report::load_run_report(dir);
    } catch (const ReportError& e) {
      return e.what();
    }
    return "";
  };
  CHECK(refusal().find((dir / "run.json").string() + ": missing") == 0);
  lkr::test::write_bytes(dir / "run.json", "{}");
  CHECK(refusal().find((dir / "events.jsonl").string() + ": missing") == 0);
  lkr::test::write_bytes(dir / "events.jsonl", "");
  lkr::test::write_bytes(dir / "run.json", "{not json");
  CHECK(refusal() == (dir / "run.json").string() + ": not JSON");
  lkr::test::write_bytes(dir / "run.json", R"({"run_id":"x","status":"finished","mode":"run"})");
  CHECK(refusal().find("\"started\"") != std::string::npos);
  CHECK(refusal().find("not lkrecover's run record") != std::string::npos);
  CHECK_THROWS_AS(report::write_run_report(log.path() / "absent"), ReportError);
}

TEST_CASE("report: the files are written into the run folder or --out", "[unit][report]") {
  TempLogDir log;
  auto run_dir = write_run(log.path(), false);
  auto files = report::write_run_report(run_dir);
  CHECK(files.html == run_dir / "report.html");
  CHECK(lkr::test::read_bytes(files.html).rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(lkr::test::read_bytes(files.markdown).rfind("# lkrecover run ", 0) == 0);
  auto elsewhere = report::write_run_report(run_dir, log.path() / "out" / "deep");
  CHECK(std::filesystem::exists(log.path() / "out" / "deep" / "report.md"));
  CHECK(elsewhere.html == log.path() / "out" / "deep" / "report.html");
}

TEST_CASE("report: a report that cannot be written names its file", "[unit][report]") {
  TempLogDir log;
  auto run_dir = write_run(log.path(), false);
  std::filesystem::create_directories(run_dir / "report.html" / "in-the-way");
  try {
    report::write_run_report(run_dir);
    FAIL("a directory named report.html was replaced");
  } catch (const ReportError& e) {
    CHECK(std::string(e.what()).find((run_dir / "report.html").string()) == 0);
  }
  // Its temporary file is not left behind.
  for (const auto& f : std::filesystem::directory_iterator(run_dir))
    CHECK(f.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("cli: report RUN_DIR [--out DIR]", "[unit][report]") {
  auto parse = [](std::vector<std::string> words) {
    std::vector<char*> argv;
    std::string prog = "lkrecover";
    argv.push_back(prog.data());
    for (auto& w : words) argv.push_back(w.data());
    return parse_cli(static_cast<int>(argv.size()), argv.data());
  };
  auto o = parse({"report", "runs/1", "--out", "/tmp/r"});
  REQUIRE(o);
  CHECK(o->mode == Mode::report);
  CHECK(o->audit_run_dir == "runs/1");
  CHECK(o->report_out == "/tmp/r");
  CHECK(parse({"report", "--out=x", "runs/2"})->report_out == "x");
  CHECK(parse({"report", "runs/3", "--audit-key", "k.key"})->audit_key == "k.key");
  CHECK_THROWS_AS(parse({"report"}), CliError);
  CHECK_THROWS_AS(parse({"report", "a", "b"}), CliError);
  CHECK_THROWS_AS(parse({"report", "a", "--json"}), CliError);
}
