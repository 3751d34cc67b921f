// Secrets end to end: the whole recovery with SSH password
// authentication against lab nodes whose sshd accepts only that password (no key), then
// every file written (audit folder, snapshots, console capture, the lab's journals and
// logs) and the process list sampled during the run (every process's command line, and the
// environment of every process but lkrecover itself, whose environment is where
// --password-env reads it from) are searched for the password: zero hits.
//
// The WinRM instance (product_run.h) does the same with the nodes on WinRM (NTLM with
// message encryption over http): the password is then the lab's WinRM password (random,
// from its state folder), handed to the product the same way, and the scans are the same
// but for the lab's own password file.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/e2e/controller/product_run.h"

extern char** environ;

using lab::testing::remove_tree;
using lkr::e2e::Lab;
using lkr::e2e::TempDir;
using nlohmann::json;
namespace e2e = lkr::e2e;
namespace fs = std::filesystem;

namespace {

const std::string kScenarios = LAB_SCENARIO_DIR;
// Distinctive: cmd's and the shell's metacharacters, a space, non-ASCII.
const std::string kPassword = "Pa&^%\"ss w\xC3\xB6rd (\xE7\xA7\x98\xE5\xAF\x86)|<>!";
// A prefix that would survive a re-encoding of the non-ASCII part.
const std::string kPasswordCore = "Pa&^%\"ss w";
// Unique to this process: ctest runs the SSH and WinRM instances side by side, and each
// samples every process, so a shared wrong password in one instance's lkrecover
// environment would show up as a leak in the other's.
const std::string kWrongPassword = "Wr0ng&^%\"pass " + std::to_string(::getpid()) + " \xE2\x9C\x97";
const char* kVar = "LKR_E2E_SSH_PASSWORD";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool leaks(const std::string& text, const std::string& secret) {
  return text.find(secret) != std::string::npos ||
         (secret == kPassword && text.find(kPasswordCore) != std::string::npos);
}

// Every regular file under `root` holding `secret`, and how many files were read;
// `exempt` (a path) is not read.
std::vector<std::string> files_holding(const std::string& root, const std::string& secret,
                                       int& scanned, const std::string& exempt = "") {
  std::vector<std::string> hits;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    if (!exempt.empty() && fs::equivalent(e.path(), exempt)) continue;
    ++scanned;
    if (leaks(read_file(e.path().string()), secret)) hits.push_back(e.path().string());
  }
  return hits;
}

// The parent pid of /proc/PID/stat ("pid (comm) state ppid ..."; comm may hold spaces).
pid_t parent_of(const std::string& proc_dir) {
  std::string stat = read_file(proc_dir + "/stat");
  auto close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(stat.substr(close + 1));
  std::string state;
  pid_t ppid = -1;
  rest >> state >> ppid;
  return ppid;
}

std::string exe_of(const std::string& proc_dir) {
  std::error_code ec;
  return fs::read_symlink(proc_dir + "/exe", ec).string();
}

// Samples /proc while a process runs: command lines of all processes, environments of
// all but `exempt` (lkrecover, which is handed the password in its environment) and its
// own clones. lkrecover starts no program; but LeakSanitizer, at exit, clones a tracer
// task that shares lkrecover's memory (so its /proc environ is lkrecover's): a child
// still running lkrecover's executable, not one that exec'd anything else.
class ProcessSampler {
 public:
  ProcessSampler(pid_t exempt, std::string secret)
      : exempt_(exempt),
        exempt_exe_(exe_of("/proc/" + std::to_string(exempt))),
        secret_(std::move(secret)),
        thread_([this] { loop(); }) {}
  ~ProcessSampler() { stop(); }
  void stop() {
    done_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int samples() const { return samples_; }
  int processes_seen() const { return processes_; }
  const std::vector<std::string>& hits() const { return hits_; }

 private:
  void loop() {
    while (!done_) {
      sample();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // sampling interval
    }
  }
  void sample() {
    DIR* proc = ::opendir("/proc");
    if (!proc) return;
    while (dirent* d = ::readdir(proc)) {
      pid_t pid = static_cast<pid_t>(std::atoi(d->d_name));
      if (pid <= 0 || pid == ::getpid()) continue;
      ++processes_;
      std::string base = std::string("/proc/") + d->d_name;
      std::string cmdline = read_file(base + "/cmdline");
      if (leaks(cmdline, secret_)) hits_.push_back(base + "/cmdline: " + cmdline);
      if (pid == exempt_ || is_clone_of_exempt(base)) continue;
      if (leaks(read_file(base + "/environ"), secret_))
        hits_.push_back(base + "/environ (" + cmdline + ", parent " +
                        std::to_string(parent_of(base)) + ")");
    }
    ::closedir(proc);
    ++samples_;
  }

  bool is_clone_of_exempt(const std::string& proc_dir) const {
    return parent_of(proc_dir) == exempt_ && !exempt_exe_.empty() &&
           exe_of(proc_dir) == exempt_exe_;
  }

  pid_t exempt_;
  std::string exempt_exe_;
  std::string secret_;
  std::atomic<bool> done_{false};
  int samples_ = 0, processes_ = 0;
  std::vector<std::string> hits_;
  std::thread thread_;
};

struct Captured {
  int rc = -1;
  std::string out, err;
  int samples = 0, processes = 0;
  std::vector<std::string> process_hits;
};

// Runs lkrecover with `password` in its environment only (never in an argv), stdout and
// stderr captured to files under `capture_dir`, while the process list is sampled.
Captured run_with_password(const std::vector<std::string>& args, const std::string& password,
                           const std::string& capture_dir, const std::string& secret) {
  std::vector<std::string> argv{LKRECOVER_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.push_back(std::string(kVar) + "=" + password);
  std::vector<char*> cenv;
  for (auto& e : env) cenv.push_back(e.data());
  cenv.push_back(nullptr);

  std::string out_path = capture_dir + "/stdout", err_path = capture_dir + "/stderr";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  int spawned = posix_spawn(&pid, cargv[0], &fa, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&fa);
  REQUIRE(spawned == 0);
  Captured c;
  {
    ProcessSampler sampler(pid, secret);
    int status = 0;
    ::waitpid(pid, &status, 0);
    sampler.stop();
    c.rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    c.samples = sampler.samples();
    c.processes = sampler.processes_seen();
    c.process_hits = sampler.hits();
  }
  c.out = read_file(out_path);
  c.err = read_file(err_path);
  return c;
}

// seed.json with every node's sshd taking `password` and no key.
std::string password_scenario(const std::string& dir, const std::string& password) {
  json s = json::parse(read_file(kScenarios + "/seed.json"));
  for (auto& c : s["clusters"])
    for (auto& n : c["nodes"]) n["ssh_password"] = password;
  std::string path = dir + "/password-seed.json";
  std::ofstream(path) << s.dump(2);
  return path;
}

}  // namespace

TEST_CASE("password authentication: full recovery, the password in no file and no process",
          "[e2e][secrets]") {
  const bool winrm = e2e::over_winrm();
  if (!winrm && ::geteuid() != 0) {
    // The lab gives sshd its own /etc/shadow through a private mount namespace (root only);
    // CI runs as root, so there this never skips.
    if (std::getenv("CI")) FAIL("the password lab needs root, and CI=true");
    WARN("skipped: the password lab needs root (a private mount namespace for sshd)");
    return;
  }
  TempDir scratch;
  std::string scenario_dir = scratch.path + "/scenario";
  fs::create_directories(scenario_dir);
  // Over WinRM the seed's nodes go on WinRM as they are: their endpoints take the lab's
  // WinRM password, never a key.
  Lab lab(winrm ? kScenarios + "/seed.json" : password_scenario(scenario_dir, kPassword));
  // The scenario file names the password on purpose (the lab needs it); it goes now, so
  // the scans below cover everything else. Over WinRM the lab keeps its password in its
  // state folder, a file the scans leave out for the same reason.
  remove_tree(scenario_dir);
  const std::string password = winrm ? lab.winrm_password() : kPassword;
  const std::string lab_password_file = winrm ? lab.record().winrm_password_file : "";
  REQUIRE(password.size() >= 8);
  TempDir logs, console;

  // The inventory the lab wrote names no password (and over SSH no key) for these nodes.
  std::string inventory = read_file(lab.inventory_path());
  if (!winrm) CHECK(inventory.find("ansible_ssh_private_key_file") == std::string::npos);
  CHECK_FALSE(leaks(inventory, password));

  const std::vector<std::string> run_args{
      "run",       "-i",      lab.inventory_path(), "--all", "--yes", "--json",
      "--log-dir", logs.path, "--password-env",     kVar};

  SECTION("no password, or a wrong one: refused, and the wrong one is not shown either") {
    // Not e2e::lkrecover: over WinRM it would hand the product the lab's password.
    auto none = lab::run_process({LKRECOVER_BINARY, "run", "-i", lab.inventory_path(), "--all",
                                  "--yes", "--json", "--log-dir", logs.path},
                                 300000);
    INFO(none.out << none.err);
    CHECK(none.rc == 4);  // unreachable: authentication failed
    json before = lab.dump("BENHOGAN2008");
    CHECK(std::find(before["on_disk"]["systems"].begin(), before["on_disk"]["systems"].end(),
                    "GPLAYER2008") != before["on_disk"]["systems"].end());

    auto wrong = run_with_password(run_args, kWrongPassword, console.path, kWrongPassword);
    INFO(wrong.out << wrong.err);
    CHECK(wrong.rc == 4);
    if (winrm) {  // the refusal names the endpoint and its auth mode
      CHECK(wrong.out.find("HTTP 401") != std::string::npos);
      CHECK(wrong.out.find("(ntlm)") != std::string::npos);
    }
    CHECK(wrong.samples > 0);
    for (const auto& hit : wrong.process_hits) FAIL_CHECK("wrong password in " << hit);
    int scanned = 0;
    CHECK(files_holding(logs.path, kWrongPassword, scanned).empty());
    CHECK(files_holding(console.path, kWrongPassword, scanned).empty());
    CHECK(files_holding(lab.state_dir(), kWrongPassword, scanned, lab_password_file).empty());
  }

  SECTION("the right password: the recovery completes, the password is nowhere") {
    auto run = run_with_password(run_args, password, console.path, password);
    INFO(run.out << run.err);
    REQUIRE(run.rc == 0);
    json summary = json::parse(run.out);
    CHECK(summary["clusters"][0]["status"] == "changed");
    json d = lab.dump("BENHOGAN2008");
    CHECK(d["on_disk"]["systems"] == json::array({"BENHOGAN2008"}));
    CHECK(d["on_disk"]["equivalencies"].empty());
    CHECK(d["on_disk"]["comm_paths"].empty());
    CHECK(d["registry_jobs"].empty());
    CHECK(d["violations"].empty());

    // The process list, sampled all through the run.
    INFO("samples " << run.samples << ", process entries read " << run.processes);
    CHECK(run.samples > 0);
    for (const auto& hit : run.process_hits) FAIL_CHECK("password in " << hit);

    // Every file written: the audit folder (events, run.json, snapshots, checklist), the
    // console capture, and the lab's side (journals, sshd logs, node state, inventory).
    std::string run_dir = e2e::newest_run_dir(logs.path);
    REQUIRE_FALSE(run_dir.empty());
    REQUIRE(fs::exists(run_dir + "/snapshots"));
    int scanned = 0;
    for (const auto& root : {logs.path, console.path, lab.state_dir()})
      for (const auto& hit : files_holding(root, password, scanned, lab_password_file))
        FAIL_CHECK("password in " << hit);
    INFO("files scanned: " << scanned);
    CHECK(scanned >= 10);
    // The run records that a password was used, masked, if it records it at all.
    std::string events = read_file(run_dir + "/events.jsonl");
    CHECK_FALSE(events.empty());
    CHECK_FALSE(leaks(run.out + run.err, password));
  }
}
