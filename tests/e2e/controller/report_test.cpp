// `lkrecover report` end to end: a real recovery of the hostile-names scenario (two
// clusters, names full of < > & " | ^ %) writes report.html and report.md into its audit
// folder, and headless Chromium (Debian's `chromium`, installed by scripts/deps; missing
// fails the test) renders the page offline: the screenshot shows the chart, the DOM holds
// one bar per command of events.jsonl, the console has no message, and the page asks the
// network for nothing. The first test case checks that these checks can fail: a page
// with a console error and an external image is caught by both.
//
// SSH only: the report reads the audit folder, whatever transport filled it; a WinRM
// instance would add a lab run and cover nothing new (127.186 stays reserved for it).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/e2e/controller/png_pixels.h"
#include "tests/e2e/controller/product_run.h"

using lkr::e2e::Lab;
using lkr::e2e::TempDir;
using nlohmann::json;
namespace e2e = lkr::e2e;

namespace {

const std::string kScenarios = LAB_SCENARIO_DIR;

// The bar colours of gantt_svg.cpp's status_colour(): ok (read-only) and changed.
constexpr std::uint32_t kOkBlue = 0x1565c0, kChangedGreen = 0x2e7d32;

struct Rendered {
  lab::ProcessResult process;
  std::string png;                   // --screenshot's file ("" for --dump-dom)
  json net_log;                      // --log-net-log's record of every network request
  std::vector<std::string> console;  // the page's console messages, as Chromium logs them
};

// Chromium, headless and offline: a proxy that refuses (port 9, discard) and a resolver
// that finds no name, a fresh profile, its own background traffic off. `what`:
// "--dump-dom" (DOM on stdout) or "--screenshot=FILE".
Rendered chromium(const std::string& html, const std::string& what, const std::string& png = "") {
  TempDir profile("lkr-chromium");
  std::string net_log = profile.path + "/net-log.json";
  std::vector<std::string> argv{"chromium",
                                "--headless=new",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--user-data-dir=" + profile.path + "/profile",
                                "--proxy-server=127.0.0.1:9",
                                "--host-resolver-rules=MAP * ~NOTFOUND",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--no-first-run",
                                "--enable-logging=stderr",
                                "--v=0",
                                "--log-net-log=" + net_log,
                                "--window-size=1400,2000",
                                what,
                                "file://" + std::filesystem::absolute(html).string()};
  Rendered r;
  r.process = lab::run_process(argv, 120000);
  if (!png.empty()) r.png = e2e::read_text(png);
  r.net_log = json::parse(e2e::read_text(net_log), nullptr, false);
  std::istringstream err(r.process.err);
  for (std::string line; std::getline(err, line);)
    if (line.find(":CONSOLE") != std::string::npos) r.console.push_back(line);
  return r;
}

// The URLs of network requests made for the page itself: their network isolation key is
// the page's site, file:// (Chromium's own traffic, update checks and the like, is keyed
// to other sites and is not the page's doing).
std::vector<std::string> page_requests(const json& net_log) {
  std::vector<std::string> urls;
  if (!net_log.is_object()) return urls;
  int start_job = net_log["constants"]["logEventTypes"].value("URL_REQUEST_START_JOB", -1);
  for (const auto& e : net_log["events"]) {
    if (e.value("type", -2) != start_job || !e.contains("params")) continue;
    const json& p = e["params"];
    if (p.value("network_isolation_key", "").rfind("file://", 0) == 0)
      urls.push_back(p.value("url", ""));
  }
  return urls;
}

// Chromium is a dependency of this test (scripts/deps), never a reason to skip it.
bool chromium_present() {
  bool present = lab::run_process({"chromium", "--version"}, 60000).rc == 0;
  if (!present) UNSCOPED_INFO("chromium is missing: scripts/deps installs Debian's chromium");
  return present;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// What in the page's source could reach outside: a URL, a resource attribute, a CSS import
// or url(), a link that is not to an anchor of the page itself.
std::vector<std::string> external_references(const std::string& html) {
  std::vector<std::string> found;
  for (const char* bad : {"http://", "https://", "src=", "url(", "@import", "<link", "<script",
                          "//cdn", "@font-face"})
    if (html.find(bad) != std::string::npos) found.push_back(bad);
  std::regex href("href=\"([^\"]*)\"");
  for (std::sregex_iterator it(html.begin(), html.end(), href), end; it != end; ++it)
    if ((*it)[1].str().rfind("#", 0) != 0) found.push_back((*it)[0].str());
  return found;
}

}  // namespace

TEST_CASE("report e2e: the browser checks catch a console error and a fetch", "[e2e][ssh-only]") {
  REQUIRE(chromium_present());  // scripts/deps installs Debian's chromium
  TempDir dir("lkr-report-control");
  std::string page = dir.path + "/bad.html";
  std::ofstream(page) << "<!DOCTYPE html><html><body><img src=\"http://example.com/x.png\">"
                         "<script>console.error('boom')</script></body></html>";
  Rendered r = chromium(page, "--dump-dom");
  INFO(r.process.err);
  CHECK(r.process.rc == 0);
  CHECK_FALSE(r.console.empty());
  auto requests = page_requests(r.net_log);
  CHECK(std::count(requests.begin(), requests.end(), "http://example.com/x.png") >= 1);
  CHECK_FALSE(external_references(e2e::read_text(page)).empty());
}

TEST_CASE("report e2e: a recovery's report renders offline with its chart", "[e2e][ssh-only]") {
  REQUIRE(chromium_present());
  Lab lab(kScenarios + "/hostile-names.json", LAB_TEST_SUBNET);
  TempDir logs;
  auto run = e2e::run_all(lab, logs.path);
  INFO(run.process.out << run.process.err);
  REQUIRE(run.process.rc == 0);
  std::string run_dir = e2e::newest_run_dir(logs.path);
  std::string html_path = run_dir + "/report.html";
  std::string html = e2e::read_text(html_path);
  REQUIRE_FALSE(html.empty());
  CHECK(e2e::read_text(run_dir + "/report.md").rfind("# lkrecover run ", 0) == 0);
  // The run checked its own trail, HMACs included when it signed it.
  CHECK(html.find("Trail intact: hash chain") != std::string::npos);

  size_t commands = 0, changed = 0;
  std::set<std::string> clusters;
  for (const auto& e : e2e::read_events(run_dir))
    if (e.value("type", "") == "command") {
      ++commands;
      changed += e.value("status", "") == "changed";
      clusters.insert(e.value("cluster", ""));
    }
  const size_t clusters_with_commands = clusters.size();
  REQUIRE(commands > 100);  // the screenshot's thresholds below count on these
  REQUIRE(changed >= 20);

  SECTION("nothing in the page points outside it, and hostile names are text") {
    auto found = external_references(html);
    INFO(json(found).dump());
    CHECK(found.empty());
    CHECK(html.find("<x>") == std::string::npos);  // from a node's name: &lt;x&gt;
    CHECK(html.find("&lt;x&gt;") != std::string::npos);
  }

  SECTION("the DOM holds one bar per command and the cluster-serial windows") {
    Rendered r = chromium(html_path, "--dump-dom");
    INFO(r.process.err.substr(0, 4000));
    REQUIRE(r.process.rc == 0);
    CHECK(count(r.process.out, "<svg class=\"gantt\"") == clusters_with_commands);
    CHECK(count(r.process.out, "<rect class=\"cmd-bar\"") == commands);
    CHECK(count(r.process.out, "<rect class=\"serial-window\"") >= clusters_with_commands);
    CHECK(r.console.empty());
    INFO(json(page_requests(r.net_log)).dump());
    CHECK(page_requests(r.net_log).empty());
  }

  SECTION("the screenshot shows the chart") {
    TempDir shots("lkr-report-shot");
    std::string png = shots.path + "/report.png";
    Rendered r = chromium(html_path, "--screenshot=" + png, png);
    INFO(r.process.err.substr(0, 4000));
    REQUIRE(r.process.rc == 0);
    CHECK(r.console.empty());
    CHECK(page_requests(r.net_log).empty());
    e2e::RgbImage image = e2e::decode_png(r.png);
    CHECK(image.width == 1400);
    CHECK(image.height == 2000);
    // Bars are drawn in flat colours, with crisp edges, used nowhere else on the page but
    // in the legend's 12x12 swatches (one legend per cluster: 288 pixels of each colour).
    // Every bar is at least 2x16 pixels: this run's 20-odd changed commands alone make
    // more than 600 green ones, its 200-odd read-only ones thousands of blue.
    long blue = image.count(kOkBlue), green = image.count(kChangedGreen);
    INFO("blue " << blue << ", green " << green << ", not white " << image.count_not_white());
    CHECK(blue > 2000);
    CHECK(green > 600);
    CHECK(image.count_not_white() > 1400L * 2000L / 50);
    if (const char* keep = std::getenv("LKR_REPORT_SCREENSHOT"))
      std::filesystem::copy_file(png, keep, std::filesystem::copy_options::overwrite_existing);
  }

  SECTION("`check` writes its report too") {
    TempDir check_logs;
    auto check = e2e::lkrecover(
        {"check", "-i", lab.inventory_path(), "--all", "--log-dir", check_logs.path});
    INFO(check.out << check.err);
    CHECK(check.rc == 0);
    std::string page = e2e::read_text(e2e::newest_run_dir(check_logs.path) + "/report.html");
    CHECK(page.find("<h1>lkrecover check ") != std::string::npos);
    CHECK(page.find("check is read-only: nothing to approve.") != std::string::npos);
  }

  SECTION("`report` writes again, elsewhere, and refuses what is not an audit folder") {
    TempDir out;
    auto again = e2e::lkrecover({"report", run_dir, "--out", out.path + "/r"});
    INFO(again.out << again.err);
    CHECK(again.rc == 0);
    CHECK(e2e::read_text(out.path + "/r/report.html").find("<rect class=\"cmd-bar\"") !=
          std::string::npos);
    auto refused = e2e::lkrecover({"report", out.path});
    CHECK(refused.rc == 5);
    CHECK(refused.err.find(out.path + "/run.json: missing") != std::string::npos);
  }
}
