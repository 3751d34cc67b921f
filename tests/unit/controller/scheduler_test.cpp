// The scheduler (Orchestrator, ClusterRecovery, NodeSession) through the TransportFactory
// seam. Each node is the lab's node emulator (tests/lab/node) run in-process on a real
// state folder, in place of sshd: the invariants of DESIGN.md are pinned in milliseconds.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <set>

#include "controller/console.h"
#include "controller/event_sink.h"
#include "controller/node_session.h"
#include "controller/orchestrator.h"
#include "controller/summary_json.h"
#include "tasks/runbook.h"
#include "tests/lab/driver/initial_state.h"
#include "tests/lab/driver/scenario.h"
#include "tests/lab/node/node_ops.h"
#include "tests/lab/node/shell.h"
#include "tests/lab/node/terminal.h"
#include "transports/codepage.h"

using namespace lkr;

namespace {

const std::string kScenarios = LAB_SCENARIO_DIR;

// Commands in flight across every node, and the most ever seen at once.
struct InFlight {
  std::atomic<int> now{0}, most{0};
};

// A node reached without a network: the command line, rendered for cmd as over SSH by
// default, goes to the emulator as sshd's ForceCommand would hand it over; output is
// decoded as the real transports do.
class InProcessTransport : public Transport {
 public:
  InProcessTransport(std::string node_dir, InFlight& in_flight)
      : Transport(Shell::cmd), node_dir_(std::move(node_dir)), in_flight_(in_flight) {}
  void connect() override {}
  // What the node printed, changed on its way back (a test's broken channel).
  std::function<void(CommandResult&)> mangle;
  CommandResult run_line(const std::string& line, std::chrono::milliseconds) override {
    int now = ++in_flight_.now;
    for (int most = in_flight_.most;
         now > most && !in_flight_.most.compare_exchange_weak(most, now);) {
    }
    lab::StringTerminal terminal;
    CommandResult r;
    r.start = std::chrono::system_clock::now();
    r.exit_code = lab::run_command_line(node_dir_, line, terminal);
    r.end = std::chrono::system_clock::now();
    --in_flight_.now;
    r.stdout_utf8 = decode_to_utf8(terminal.out, codepage_);
    r.stderr_utf8 = decode_to_utf8(terminal.err, codepage_);
    if (mangle) mangle(r);
    return r;
  }
  void set_codepage(int codepage) override { codepage_ = codepage; }
  void close() override {}

 private:
  std::string node_dir_;
  InFlight& in_flight_;
  int codepage_ = 437;
};

// Every event in the order it happened.
class RecordingSink : public EventSink {
 public:
  struct Entry {
    std::string kind, cluster, host, step;
    StepStatus status = StepStatus::ok;
    std::string text = {};  // a note's, a command's display text
    Invocation invocation = {};
    std::optional<int> exit_code = {};
  };
  void command(const CommandEvent& e) override {
    add({"command", e.cluster, e.host, e.step, e.status, e.command, e.invocation, e.exit_code});
  }
  void note(const std::string& c, const std::string& h, const std::string& s,
            const std::string& text) override {
    add({"note", c, h, s, StepStatus::ok, text});
  }
  void snapshot(const std::string& c, const std::string& h, const std::string& name,
                const std::string&) override {
    add({"snapshot", c, h, name});
  }
  void intent(const std::string& c, const std::string& h, const std::string& s,
              const std::string& command) override {
    add({"intent", c, h, s, StepStatus::ok, command});
  }
  void phase(const std::string& c, const std::string& phase, PhaseEdge edge,
             const std::string& status) override {
    add({edge == PhaseEdge::start ? "phase-start" : "phase-end", c, "", phase, StepStatus::ok,
         status});
  }
  std::vector<Entry> entries() {
    std::lock_guard lock(mu_);
    return entries_;
  }

 private:
  void add(Entry e) {
    std::lock_guard lock(mu_);
    entries_.push_back(std::move(e));
  }
  std::mutex mu_;
  std::vector<Entry> entries_;
};

// The scenario's nodes as `lab up` makes them, minus sshd; its clusters as an inventory.
class InProcessLab {
 public:
  explicit InProcessLab(const std::string& scenario)
      : root_(std::filesystem::temp_directory_path() /
              ("lkr-sched-" + std::to_string(::getpid()) + "-" + std::to_string(++count_))) {
    lab::Scenario s = lab::load_scenario(scenario);
    for (const auto& c : s.clusters) {
      std::string cluster_dir = (root_ / ("cluster-" + std::to_string(clusters_.size()))).string();
      std::filesystem::create_directories(cluster_dir);
      Cluster inventory;
      inventory.name = c.name;
      inventory.replaced = c.replaced;
      for (const auto& n : c.nodes) {
        std::string dir = cluster_dir + "/" + std::to_string(inventory.hosts.size());
        lab::NodeState state = lab::initial_node_state(c, n, cluster_dir);
        lab::create_node(dir, state);
        lab::write_lkdrinfo_files(dir, state);
        node_dirs_[c.name + "/" + n.system] = dir;
        Host h;
        h.name = h.system = n.system;
        h.address = c.name + "/" + n.system;  // the key of the node's folder
        inventory.hosts.push_back(h);
      }
      clusters_.push_back(inventory);
    }
  }
  ~InProcessLab() { std::filesystem::remove_all(root_); }

  const std::vector<Cluster>& clusters() const { return clusters_; }
  std::vector<Cluster>& clusters() { return clusters_; }
  const std::string& dir_of(const std::string& node) const { return node_dirs_.at(node); }
  TransportFactory factory() {
    return [this](const Host& h) {
      auto t = std::make_unique<InProcessTransport>(node_dirs_.at(h.address), in_flight_);
      if (mangle && h.name == mangled_host) t->mangle = mangle;
      return t;
    };
  }
  // Applied to every output of `mangled_host`.
  std::string mangled_host;
  std::function<void(CommandResult&)> mangle;
  int most_in_flight() const { return in_flight_.most; }
  nlohmann::json dump(const std::string& node) const { return lab::dump_node(dir_of(node)); }

 private:
  static inline int count_ = 0;
  std::filesystem::path root_;
  std::vector<Cluster> clusters_;
  std::map<std::string, std::string> node_dirs_;
  InFlight in_flight_;
};

// A log folder (mode 0700, as the product requires) removed at scope end.
struct TempLogDir {
  TempLogDir() {
    static std::atomic<int> count{0};
    path = (std::filesystem::temp_directory_path() /
            ("lkr-sched-logs-" + std::to_string(::getpid()) + "-" + std::to_string(++count)))
               .string();
    std::filesystem::create_directories(path);
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  }
  ~TempLogDir() { std::filesystem::remove_all(path); }
  std::string path;
};

RunSummary run(InProcessLab& lab, RecordingSink& sink, int forks = 20,
               std::vector<std::string> only = {}, Mode mode = Mode::run,
               const std::string& log_dir = "") {
  static TempLogDir shared_logs;
  CliOptions o;
  o.mode = mode;
  o.log_dir = log_dir.empty() ? shared_logs.path : log_dir;
  o.yes = true;
  o.forks = forks;
  std::vector<Cluster> clusters;
  for (const auto& c : lab.clusters())
    if (only.empty() || std::find(only.begin(), only.end(), c.name) != only.end())
      clusters.push_back(c);
  Console console(true, 0);
  Orchestrator orchestrator(o, clusters, sink, console, lab.factory(),
                            [](const std::string&, const std::string&) { return false; });
  return orchestrator.run();
}

const ClusterOutcome& outcome(const RunSummary& s, const std::string& name) {
  for (const auto& c : s.clusters)
    if (c.name == name) return c;
  throw std::logic_error("no cluster " + name);
}

bool is_change(const RecordingSink::Entry& e) {
  return e.kind == "command" && e.status == StepStatus::changed;
}

}  // namespace

TEST_CASE("no change before every survivor passed preflight and its snapshot is on disk",
          "[scheduler]") {
  InProcessLab lab(kScenarios + "/three-node.json");
  RecordingSink sink;
  RunSummary s = run(lab, sink);
  REQUIRE(outcome(s, "erp").status == ClusterStatus::changed);
  auto events = sink.entries();
  auto first_change = std::find_if(events.begin(), events.end(), is_change);
  REQUIRE(first_change != events.end());
  for (const std::string survivor : {"ALPHA", "BRAVO"}) {
    INFO(survivor);
    auto before = [&](auto pred) { return std::any_of(events.begin(), first_change, pred); };
    CHECK(before([&](const auto& e) { return e.host == survivor && e.step == "preflight"; }));
    CHECK(before([&](const auto& e) { return e.host == survivor && e.kind == "snapshot"; }));
    // No preflight read of any survivor comes after the first change.
    CHECK_FALSE(std::any_of(first_change, events.end(), [&](const auto& e) {
      return e.host == survivor && e.step == "preflight";
    }));
  }
  // The end state, read from the nodes' own folders: nothing of CHARLIE on disk.
  for (const std::string node : {"erp/ALPHA", "erp/BRAVO"}) {
    auto d = lab.dump(node);
    CHECK(d["on_disk"]["systems"].dump().find("CHARLIE") == std::string::npos);
    CHECK(d["violations"].empty());
  }
}

TEST_CASE("at most one survivor inside the cluster-serial window", "[scheduler]") {
  InProcessLab lab(kScenarios + "/three-node.json");
  RecordingSink sink;
  REQUIRE(outcome(run(lab, sink), "erp").status == ClusterStatus::changed);
  // The cluster_serial events of one host form one unbroken run.
  std::vector<std::string> hosts;
  for (const auto& e : sink.entries())
    if (e.kind == "command" && e.step == "cluster_serial" &&
        (hosts.empty() || hosts.back() != e.host))
      hosts.push_back(e.host);
  CHECK(hosts.size() == 2);
  CHECK(std::set<std::string>(hosts.begin(), hosts.end()).size() == hosts.size());
  // The lab's own record of overlapping windows (LAB.md) agrees.
  for (const std::string node : {"erp/ALPHA", "erp/BRAVO"})
    CHECK(lab.dump(node)["violations"].empty());
}

TEST_CASE("phase events bracket every change of their step, in the runbook's order",
          "[scheduler]") {
  InProcessLab lab(kScenarios + "/three-node.json");
  RecordingSink sink;
  REQUIRE(outcome(run(lab, sink), "erp").status == ClusterStatus::changed);
  auto events = sink.entries();
  std::vector<std::string> opened;  // phase names in the order they started
  std::string open;                 // the phase between its start and end, if any
  for (const auto& e : events) {
    if (e.kind == "phase-start") {
      CHECK(open.empty());  // phases of one cluster never nest or overlap
      open = e.step;
      opened.push_back(e.step);
    } else if (e.kind == "phase-end") {
      CHECK(e.step == open);
      CHECK(e.text == "ok");
      open.clear();
    } else if (is_change(e)) {
      INFO(e.host << " " << e.step);
      CHECK(e.step == open);  // no change outside its own step's phase
    }
  }
  CHECK(open.empty());
  // The phases run are the runbook's steps with work, in the table's order.
  std::vector<std::string> order;
  for (const auto& step : tasks::runbook::steps())
    if (std::find(opened.begin(), opened.end(), step.name) != opened.end())
      order.push_back(step.name);
  CHECK(order == opened);
  CHECK(std::find(opened.begin(), opened.end(), "cluster_serial") != opened.end());
}

TEST_CASE("every change is announced in the trail before it is sent", "[scheduler]") {
  InProcessLab lab(kScenarios + "/three-node.json");
  RecordingSink sink;
  REQUIRE(outcome(run(lab, sink), "erp").status == ClusterStatus::changed);
  std::map<std::string, RecordingSink::Entry> last_of_host;
  int changes = 0, intents = 0;
  for (const auto& e : sink.entries()) {
    if (e.kind == "intent") ++intents;
    if (is_change(e)) {
      ++changes;
      INFO(e.host << " " << e.step);
      REQUIRE(last_of_host.count(e.host));
      CHECK(last_of_host[e.host].kind == "intent");  // nothing of that host in between
      CHECK(last_of_host[e.host].step == e.step);
    }
    if (!e.host.empty()) last_of_host[e.host] = e;
  }
  CHECK(changes > 0);
  // lcdsync as a flush is announced (it is sent as a change) but recorded as ok.
  CHECK(intents >= changes);
}

TEST_CASE("a failed step stops its cluster, the others go on, and a re-run finishes",
          "[scheduler]") {
  InProcessLab lab(kScenarios + "/fault-matrix.json");
  lab::Fault fault;
  fault.command = "lcdsync";
  fault.kind = "fail";
  fault.rc = 1;
  fault.message = "LCD busy";
  fault.times = 1;
  lab::arm_fault(lab.dir_of("fm-a/A1"), fault);
  RecordingSink sink;
  RunSummary first = run(lab, sink);
  const ClusterOutcome& a = outcome(first, "fm-a");
  CHECK(a.status == ClusterStatus::failed);
  CHECK(a.failed_step == "cluster_serial");
  CHECK(a.failed_host == "A1");
  CHECK(outcome(first, "fm-b").status == ClusterStatus::changed);
  CHECK(outcome(first, "fm-c").status == ClusterStatus::changed);
  // A2 never entered its window: A1's failure stopped the cluster first.
  for (const auto& e : sink.entries())
    CHECK_FALSE((e.host == "A2" && e.step == "cluster_serial" && is_change(e)));

  RecordingSink again_sink;
  RunSummary again = run(lab, again_sink);
  CHECK(outcome(again, "fm-a").status == ClusterStatus::changed);
  CHECK(outcome(again, "fm-b").status == ClusterStatus::nothing_to_do);
  for (const std::string node : {"fm-a/A1", "fm-a/A2"}) {
    auto d = lab.dump(node);
    CHECK(d["on_disk"]["systems"].dump().find("\"A3\"") == std::string::npos);
    CHECK(d["in_memory"] == d["on_disk"]);
  }
}

TEST_CASE("--forks bounds the commands in flight across every cluster", "[scheduler]") {
  for (int forks : {1, 2}) {
    INFO(forks);
    InProcessLab lab(kScenarios + "/fault-matrix.json");
    RecordingSink sink;
    RunSummary s = run(lab, sink, forks);
    for (const auto& c : s.clusters) CHECK(c.status == ClusterStatus::changed);
    CHECK(lab.most_in_flight() >= 1);
    CHECK(lab.most_in_flight() <= forks);
  }
}

TEST_CASE("install folders: a difference with the inventory is reported, a missing emcmd refused",
          "[scheduler]") {
  SECTION("the inventory's lk_root differs from the node's %LKROOT%") {
    InProcessLab lab(kScenarios + "/seed.json");
    Host& h = lab.clusters()[0].hosts[0];
    h.lk_root = "D:\\LifeKeeper";
    h.lk_root_given = true;
    RecordingSink sink;
    run(lab, sink, 20, {}, Mode::check);
    bool noted = false;
    for (const auto& e : sink.entries())
      noted = noted || (e.kind == "note" && e.host == h.name &&
                        e.text.find("lk_root (D:\\LifeKeeper) differs from the node's "
                                    "%LKROOT% (C:\\LK)") != std::string::npos);
    CHECK(noted);
  }
  SECTION("%ExtMirrBase% names a folder without emcmd.exe, and neither standard one has it") {
    InProcessLab lab(kScenarios + "/seed.json");
    std::string dir = lab.dir_of("sql-prod/BENHOGAN2008");
    {
      lab::NodeLock lock(dir);
      lab::NodeState state = lab::load_node(dir);
      state.extmirrbase = "C:\\DK";                        // where emcmd.exe really is
      state.env["ExtMirrBase"] = "C:\\Wrong\\DataKeeper";  // what the node says
      lab::save_node(dir, state);
    }
    RecordingSink sink;
    RunSummary s = run(lab, sink);
    const ClusterOutcome& o = outcome(s, "sql-prod");
    CHECK(o.status == ClusterStatus::refused);
    CHECK(o.failed_host == "BENHOGAN2008");
    INFO(o.reason);
    CHECK(o.reason.find("C:\\Wrong\\DataKeeper\\emcmd.exe") != std::string::npos);
    CHECK(o.reason.find("C:\\Program Files (x86)\\SIOS\\DataKeeper\\emcmd.exe") !=
          std::string::npos);
    CHECK(o.reason.find("dk_extmirrbase") != std::string::npos);
    for (const auto& e : sink.entries()) CHECK_FALSE(is_change(e));
  }
}

// settle_node reads %SystemRoot%, %LK*% and %ExtMirrBase% in one line before the code page
// is known; a value that is not all ASCII must be read again once it is.
TEST_CASE("install folders outside ASCII are read again once the code page is known",
          "[scheduler][batch]") {
  InProcessLab lab(kScenarios + "/seed.json");
  const std::string host = "BENHOGAN2008";
  const std::string root = "C:\\ライフキーパー";
  std::string dir = lab.dir_of("sql-prod/" + host);
  {
    lab::NodeLock lock(dir);
    lab::NodeState state = lab::load_node(dir);
    state.codepage = 932;  // Shift-JIS: read as code page 437 it would be other characters
    state.lkroot = root;
    state.env["LKROOT"] = root;
    state.env["LKBIN"] = root + "\\Bin";
    lab::save_node(dir, state);
  }
  RecordingSink sink;
  RunSummary s = run(lab, sink, 20, {}, Mode::check);
  INFO(outcome(s, "sql-prod").reason);
  CHECK(outcome(s, "sql-prod").status != ClusterStatus::refused);
  std::map<std::string, int> lk_reads;
  std::map<std::string, bool> chcp_seen, lk_read_after_chcp;
  bool lists_under_root = false;
  for (const auto& e : sink.entries()) {
    if (e.kind != "command") continue;
    if (e.text.find("chcp") != std::string::npos) chcp_seen[e.host] = true;
    if (e.text == "set LK") {
      ++lk_reads[e.host];
      if (chcp_seen[e.host]) lk_read_after_chcp[e.host] = true;
    }
    if (e.host == host && e.text.find(root + "\\Bin\\sys_list.exe") != std::string::npos)
      lists_under_root = true;
  }
  // Once before chcp (with %SystemRoot%), once after it, decoded as Shift-JIS.
  CHECK(lk_reads[host] == 2);
  CHECK(lk_read_after_chcp[host]);
  CHECK(lists_under_root);
  // A node whose folders are ASCII reads them once, before chcp.
  for (const auto& [h, n] : lk_reads) {
    if (h == host) continue;
    INFO(h);
    CHECK(n == 1);
    CHECK_FALSE(lk_read_after_chcp[h]);
  }
  CHECK(lk_reads.size() >= 2);
}

TEST_CASE("the re-extension checklist survives a run stopped after a change of any phase",
          "[scheduler][checklist]") {
  auto checklist_of = [](const RunSummary& s, const std::string& cluster) {
    std::vector<std::string> lines = outcome(s, cluster).checklist;
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  std::vector<std::string> clean;
  {
    TempLogDir logs;
    InProcessLab lab(kScenarios + "/fault-matrix.json");
    RecordingSink sink;
    clean = checklist_of(run(lab, sink, 20, {"fm-a"}, Mode::run, logs.path), "fm-a");
    REQUIRE(clean.size() > 5);
  }
  // A command of each phase fails after that phase changed something on A1 (or, for
  // lkdrinfo, after the equivalencies were removed): the second run's snapshot no longer
  // shows what the first removed, yet its checklist must list it.
  struct Stop {
    const char* command;
    const char* match;
    int skip;
  };
  for (Stop stop : {Stop{"eqv_remove", "", 1}, Stop{"del", "LKDRInfo", 0},
                    Stop{"emcmd", "deletelocalmirroronly", 0}, Stop{"net_remove", "", 0}}) {
    INFO(stop.command);
    TempLogDir logs;
    InProcessLab lab(kScenarios + "/fault-matrix.json");
    lab::Fault fault;
    fault.command = stop.command;
    fault.kind = "fail";
    fault.rc = 1;
    fault.message = "stopped here by the test";
    fault.times = 1;
    fault.skip = stop.skip;
    fault.match = stop.match;
    lab::arm_fault(lab.dir_of("fm-a/A1"), fault);
    RecordingSink first_sink;
    RunSummary first = run(lab, first_sink, 20, {"fm-a"}, Mode::run, logs.path);
    REQUIRE(outcome(first, "fm-a").status == ClusterStatus::failed);
    auto first_events = first_sink.entries();
    CHECK(std::any_of(first_events.begin(), first_events.end(), is_change));
    RecordingSink second_sink;
    RunSummary second = run(lab, second_sink, 20, {"fm-a"}, Mode::run, logs.path);
    REQUIRE(outcome(second, "fm-a").status == ClusterStatus::changed);
    CHECK(checklist_of(second, "fm-a") == clean);
    bool carried = false;
    for (const auto& e : second_sink.entries())
      carried = carried || (e.kind == "note" && e.step == "checklist" &&
                            e.text.find("carried forward") != std::string::npos);
    CHECK(carried);
    // Verified: closed; a third run (nothing to do) still lists all of it.
    for (const auto& f : std::filesystem::directory_iterator(logs.path + "/open-checklists"))
      CHECK(f.path().extension() == ".done");
    RecordingSink third_sink;
    RunSummary third = run(lab, third_sink, 20, {"fm-a"}, Mode::run, logs.path);
    CHECK(outcome(third, "fm-a").status == ClusterStatus::nothing_to_do);
    CHECK(checklist_of(third, "fm-a") == clean);
  }
}

TEST_CASE("preflight refusals say what is wrong, and print no survivor's verdict first",
          "[scheduler]") {
  SECTION("the replaced node left out by --limit") {
    InProcessLab lab(kScenarios + "/seed.json");
    Cluster& c = lab.clusters()[0];
    c.hosts.erase(c.hosts.begin() + 1);  // GPLAYER2008, as apply_limit leaves it out
    c.limited_out = {"GPLAYER2008"};
    RecordingSink sink;
    RunSummary s = run(lab, sink);
    const ClusterOutcome& o = outcome(s, "sql-prod");
    CHECK(o.status == ClusterStatus::refused);
    INFO(o.reason);
    CHECK(o.reason.find("GPLAYER2008 is left out by --limit") != std::string::npos);
    CHECK(o.reason.find("not in the inventory") == std::string::npos);
  }
  SECTION("a replaced name no survivor knows") {
    InProcessLab lab(kScenarios + "/seed.json");
    Cluster& c = lab.clusters()[0];
    c.hosts.erase(c.hosts.begin() + 1);
    c.replaced = "GPLAYER2080";  // a slip of the fingers
    RecordingSink sink;
    RunSummary s = run(lab, sink);
    const ClusterOutcome& o = outcome(s, "sql-prod");
    CHECK(o.status == ClusterStatus::refused);
    INFO(o.reason);
    CHECK(o.reason.find("no survivor refers to it") != std::string::npos);
    CHECK(o.reason.find("is the name right?") != std::string::npos);
    // No "already clean" verdict was recorded for a cluster that was refused.
    for (const auto& e : sink.entries())
      CHECK_FALSE((e.kind == "note" && e.text.find("already clean") != std::string::npos));
  }
}

TEST_CASE("check: pending with its counts and the whole plan, then nothing to do",
          "[scheduler][check]") {
  InProcessLab lab(kScenarios + "/seed.json");
  RecordingSink sink;
  RunSummary before = run(lab, sink, 20, {}, Mode::check);
  const ClusterOutcome& o = outcome(before, "sql-prod");
  CHECK(o.status == ClusterStatus::changes_pending);
  CHECK(before.exit_code() == 0);
  // The seed's changes: 2 eqv_remove, del, reg delete, deletelocalmirroronly,
  // clearswitchover, sys_remove, net_remove (lcdsync is a flush, the check a read).
  CHECK(o.pending.at("BENHOGAN2008") == 8);
  auto j = summary_json(before, "", before.exit_code());
  CHECK(j["clusters"][0]["status"] == "pending");
  CHECK(j["clusters"][0]["hosts"]["BENHOGAN2008"]["pending"] == 8);
  const auto& plan = j["clusters"][0]["plan"];
  REQUIRE(plan.size() == o.plan.size());
  bool net_remove = false;
  for (const auto& p : plan)
    net_remove = net_remove ||
                 (p["step"] == "cluster_serial" && p["kind"] == "cluster-serial" &&
                  p["command"].get<std::string>().find("net_remove.exe -d") != std::string::npos &&
                  !p["reason"].get<std::string>().empty());
  CHECK(net_remove);
  for (const auto& e : sink.entries()) CHECK_FALSE(is_change(e));  // check changes nothing

  RecordingSink run_sink;
  REQUIRE(outcome(run(lab, run_sink), "sql-prod").status == ClusterStatus::changed);
  // The plan shown was saved, and its approval recorded with the plan's hash, before any
  // change.
  auto events = run_sink.entries();
  auto first_change = std::find_if(events.begin(), events.end(), is_change);
  auto saved = std::find_if(events.begin(), events.end(), [](const auto& e) {
    return e.kind == "snapshot" && e.step == "plan.txt";
  });
  auto approved = std::find_if(events.begin(), events.end(), [](const auto& e) {
    return e.kind == "note" && e.step == "confirm" &&
           e.text.find("approved with --yes by ") != std::string::npos &&
           e.text.find("plan sha256 ") != std::string::npos;
  });
  CHECK(saved < approved);
  CHECK(approved < first_change);
  CHECK(first_change != events.end());
  RunSummary after = run(lab, sink, 20, {}, Mode::check);
  CHECK(outcome(after, "sql-prod").status == ClusterStatus::nothing_to_do);
  CHECK(outcome(after, "sql-prod").pending.at("BENHOGAN2008") == 0);
}

TEST_CASE("a change the shell cannot carry is neither announced nor sent", "[scheduler]") {
  InProcessLab lab(kScenarios + "/three-node.json");
  RecordingSink sink;
  InFlight in_flight;
  Console console(true, 0);
  ForkLimiter forks(1);
  Host host;
  host.name = "ALPHA";
  NodeSession node("erp", host,
                   std::make_unique<InProcessTransport>(lab.dir_of("erp/ALPHA"), in_flight), sink,
                   console, forks, SessionSettings{});
  // A line feed inside an argument: no cmd.exe line may hold it.
  Action change;
  change.step = "equivalencies";
  change.kind = StepKind::node_change;
  change.command = program("eqv_remove", {"-t", "Vol\nE"});
  change.description = "remove an equivalency";
  CHECK_THROWS_AS(node.apply(change), StepFailure);
  CHECK(in_flight.most == 0);  // nothing reached the node
  auto events = sink.entries();
  CHECK_FALSE(
      std::any_of(events.begin(), events.end(), [](const auto& e) { return e.kind == "intent"; }));
  REQUIRE(events.size() == 1);  // the refusal itself, as a failed command
  CHECK(events[0].kind == "command");
  CHECK(events[0].status == StepStatus::failed);
}

TEST_CASE("--purge-resources with nothing left to change asks nobody and is not refused",
          "[scheduler]") {
  InProcessLab lab(kScenarios + "/three-node.json");
  TempLogDir logs;
  CliOptions o;
  o.mode = Mode::run;
  o.log_dir = logs.path;
  o.purge_resources = true;
  o.yes = true;
  RecordingSink first;
  Console console(true, 0);
  Orchestrator purge(o, lab.clusters(), first, console, lab.factory(),
                     [](const std::string&, const std::string&) { return false; });
  REQUIRE(outcome(purge.run(), "erp").status == ClusterStatus::changed);
  o.yes = false;  // a question would be asked now if anything were left to change
  RecordingSink sink;
  int questions = 0;
  Orchestrator again(o, lab.clusters(), sink, console, lab.factory(),
                     [&](const std::string&, const std::string&) {
                       ++questions;
                       return false;
                     });
  RunSummary s = again.run();
  CHECK(questions == 0);
  CHECK(outcome(s, "erp").status == ClusterStatus::nothing_to_do);
}

// The reads of one node before a change, and after each step, share lines; every read is
// still its own event, in order, with its own exit code.
TEST_CASE("reads travel in shared lines, each still its own event with its own exit code",
          "[scheduler][batch]") {
  InProcessLab lab(kScenarios + "/three-node.json");
  RecordingSink sink;
  RunSummary s = run(lab, sink);
  REQUIRE(outcome(s, "erp").status == ClusterStatus::changed);
  for (const std::string survivor : {"ALPHA", "BRAVO"}) {
    INFO(survivor);
    std::map<std::string, std::vector<RecordingSink::Entry>> lines;  // by invocation id
    std::vector<std::string> order;
    std::size_t commands = 0;
    for (const auto& e : sink.entries()) {
      if (e.kind != "command" || e.host != survivor) continue;
      ++commands;
      REQUIRE_FALSE(e.invocation.id.empty());
      if (!lines.count(e.invocation.id)) order.push_back(e.invocation.id);
      lines[e.invocation.id].push_back(e);
    }
    // Every line's events are numbered 0..size-1 in order, and as many as it says.
    for (const auto& [id, events] : lines) {
      INFO(id);
      REQUIRE(static_cast<int>(events.size()) == events.front().invocation.size);
      for (std::size_t i = 0; i < events.size(); ++i)
        CHECK(events[i].invocation.index == static_cast<int>(i));
    }
    CHECK(lines.size() < commands);
    // A change always travels alone.
    for (const auto& [id, events] : lines)
      for (const auto& e : events)
        if (e.status == StepStatus::changed) CHECK(events.size() == 1);
    // After each step with changes, its check is one line holding every fact read.
    std::size_t checks = 0;
    for (const std::string& id : order) {
      const auto& events = lines[id];
      if (events.front().step == "preflight" || events.front().step == "snapshot") continue;
      if (events.size() > 1) {
        ++checks;
        CHECK(events.front().text.find("hostname.exe") != std::string::npos);
      }
    }
    CHECK(checks >= 2);  // at least one step and the final verify
  }
}

TEST_CASE("a batched read keeps its own exit code: a failing list stops preflight, alone",
          "[scheduler][batch]") {
  auto scenario = nlohmann::json::parse(std::ifstream(kScenarios + "/three-node.json"));
  scenario["clusters"][0]["faults"] =
      nlohmann::json::array({{{"node", "BRAVO"},
                              {"command", "net_list"},
                              {"fail", {{"rc", 42}, {"message", "LCD busy"}}},
                              {"times", 1}}});
  TempLogDir dir;
  std::string path = dir.path + "/scenario.json";
  std::ofstream(path) << scenario.dump();
  InProcessLab lab(path);
  RecordingSink sink;
  RunSummary s = run(lab, sink);
  CHECK(outcome(s, "erp").status == ClusterStatus::refused);
  CHECK(outcome(s, "erp").failed_step == "preflight");
  bool seen = false;
  std::string line_id;
  for (const auto& e : sink.entries()) {
    CHECK_FALSE(is_change(e));
    if (e.kind == "command" && e.host == "BRAVO" && e.text.find("net_list") != std::string::npos) {
      seen = true;
      line_id = e.invocation.id;
      CHECK(e.exit_code == 42);
      CHECK(e.invocation.size > 1);
    }
  }
  REQUIRE(seen);
  // The others of its line answered as usual.
  for (const auto& e : sink.entries())
    if (e.kind == "command" && e.invocation.id == line_id &&
        e.text.find("net_list") == std::string::npos)
      CHECK((e.exit_code == 0 || e.exit_code == 7));
}

TEST_CASE("a line whose markers do not come back whole is refused before any change",
          "[scheduler][batch]") {
  for (const std::string stream : {"stdout", "stderr"}) {
    INFO(stream);
    InProcessLab lab(kScenarios + "/three-node.json");
    lab.mangled_host = "BRAVO";
    // Cut the last marker of every line that carries markers.
    lab.mangle = [stream](CommandResult& r) {
      std::string& text = stream == "stdout" ? r.stdout_utf8 : r.stderr_utf8;
      auto at = text.rfind("LKR");
      if (at != std::string::npos) text.resize(at);
    };
    RecordingSink sink;
    RunSummary s = run(lab, sink);
    CHECK(outcome(s, "erp").status != ClusterStatus::changed);
    CHECK(outcome(s, "erp").failed_step == "preflight");
    CHECK(outcome(s, "erp").reason.find("marker") != std::string::npos);
    for (const auto& e : sink.entries()) CHECK_FALSE(is_change(e));
    // ALPHA's end state is untouched: its equivalencies with CHARLIE are all there.
    CHECK(lab.dump("erp/ALPHA")["on_disk"]["equivalencies"].size() > 0);
  }
}
