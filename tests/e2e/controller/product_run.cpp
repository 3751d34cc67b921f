#include "tests/e2e/controller/product_run.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/lab/driver/process_tree.h"

extern char** environ;

namespace lkr::e2e {
namespace fs = std::filesystem;

bool over_winrm() {
  const char* t = std::getenv("LKR_E2E_TRANSPORT");
  std::string name = t ? t : "";
  if (name.empty() || name == "ssh") return false;
  if (name == "winrm") return true;
  throw std::runtime_error("LKR_E2E_TRANSPORT=" + name + ": expected ssh or winrm");
}

namespace detail {

InstanceScenario::InstanceScenario(const std::string& scenario) : path(scenario) {
  nlohmann::json s = nlohmann::json::parse(read_text(scenario));
  bool winrm = over_winrm();
  for (auto& c : s["clusters"])
    for (auto& n : c["nodes"]) {
      if (winrm && !n.contains("transport")) n["transport"] = "winrm";
      if (n.value("transport", "ssh") == "winrm")
        winrm_nodes.insert(c["name"].get<std::string>() + "/" + n["system"].get<std::string>());
    }
  if (!winrm) return;
  copy_dir = lab::testing::make_temp_dir("lkr-e2e-winrm-scenario");
  path = copy_dir + "/" + fs::path(scenario).filename().string();
  std::ofstream(path) << s.dump(1);
}

InstanceScenario::~InstanceScenario() {
  if (!copy_dir.empty()) lab::testing::remove_tree(copy_dir);
}

std::string instance_subnet(const std::string& compiled) {
  const char* v = std::getenv("LKR_E2E_SUBNET");
  return v && *v ? v : compiled;
}

}  // namespace detail

namespace {

// The passwords of the WinRM labs alive, newest last (a test may hold two labs).
std::vector<std::string>& winrm_passwords() {
  static std::vector<std::string> passwords;
  return passwords;
}

bool chooses_password(const std::vector<std::string>& args) {
  return std::any_of(args.begin(), args.end(), [](const std::string& a) {
    return a == "--password-env" || a == "-k" || a == "--ask-pass";
  });
}

// `args` with --password-env when a WinRM lab is up and the subcommand connects to nodes;
// `password` is then what the child's environment must hold.
std::vector<std::string> with_password_option(std::vector<std::string> args,
                                              std::string& password) {
  static const std::set<std::string> connecting{"run", "check", "verify", "ping", "facts", "exec"};
  password.clear();
  if (winrm_passwords().empty() || args.empty() || !connecting.count(args[0]) ||
      chooses_password(args))
    return args;
  password = winrm_passwords().back();
  // Before `--`: what follows it is exec's program and its arguments.
  auto end = std::find(args.begin(), args.end(), std::string("--"));
  args.insert(end, {"--password-env", kWinrmPasswordVar});
  return args;
}

// The password in our environment while one child starts (none of our other processes
// is started meanwhile: the tests are single-threaded where they start the product).
struct ChildPassword {
  explicit ChildPassword(const std::string& password) : set(!password.empty()) {
    if (set) setenv(kWinrmPasswordVar, password.c_str(), 1);
  }
  ~ChildPassword() {
    if (set) unsetenv(kWinrmPasswordVar);
  }
  bool set;
};

}  // namespace

Lab::Lab(const std::string& scenario, const std::string& subnet)
    : InstanceScenario(scenario),
      LabFixture(
          lab::testing::LabOptions{InstanceScenario::path, detail::instance_subnet(subnet), ""}) {
  if (winrm_nodes.empty()) return;
  std::string p = read_text(record().winrm_password_file);
  winrm_password_ = p.substr(0, p.find('\n'));
  if (winrm_password_.empty())
    throw std::runtime_error("the lab wrote no WinRM password in " + record().winrm_password_file);
  // Only WinRM may reach these nodes: their sshd goes now.
  std::vector<int> sshds;
  for (const auto& n : record().nodes) {
    if (!winrm_nodes.count(n.cluster + "/" + n.system)) continue;
    if (n.winrm_pid <= 0)
      throw std::runtime_error(n.cluster + "/" + n.system + " serves no WinRM endpoint");
    sshds.push_back(n.pid);
  }
  lab::stop_processes(sshds, std::chrono::milliseconds(2000));
  for (int pid : sshds)
    if (lab::process_alive(pid))
      throw std::runtime_error("the sshd of a WinRM node (pid " + std::to_string(pid) +
                               ") is still running");
  winrm_passwords().push_back(winrm_password_);
}

Lab::~Lab() {
  auto& all = winrm_passwords();
  if (winrm_password_.empty()) return;
  auto it = std::find(all.rbegin(), all.rend(), winrm_password_);
  if (it != all.rend()) all.erase(std::next(it).base());
}

bool Lab::on_winrm(const std::string& node) const {
  const lab::LabNode& n = lab::resolve_node(record(), node);
  return winrm_nodes.count(n.cluster + "/" + n.system) > 0;
}

lab::ProcessResult Lab::console(const std::string& node, const std::string& line) const {
  const lab::LabNode& n = lab::resolve_node(record(), node);
  std::string lab_cmd = (fs::path(lab_binary()).parent_path() / "lab-cmd").string();
  // lab-cmd takes the line where sshd's ForceCommand (and lab-winrm) hand it over.
  return lab::run_process(
      {"/usr/bin/env", "SSH_ORIGINAL_COMMAND=" + line, lab_cmd, "--node", n.node_dir}, 60000);
}

lab::ProcessResult lkrecover(const std::vector<std::string>& args, int timeout_ms) {
  std::string password;
  std::vector<std::string> argv{LKRECOVER_BINARY};
  for (auto& a : with_password_option(args, password)) argv.push_back(a);
  ChildPassword env(password);
  return lab::run_process(argv, timeout_ms);
}

RunOutcome run_all(const lab::testing::LabFixture& lab, const std::string& log_dir,
                   std::vector<std::string> extra) {
  std::vector<std::string> args{"run",   "-i",     lab.inventory_path(), "--all",
                                "--yes", "--json", "--log-dir",          log_dir};
  args.insert(args.end(), extra.begin(), extra.end());
  RunOutcome o;
  o.process = lkrecover(args);
  o.summary = nlohmann::json::parse(o.process.out, nullptr, false);
  if (o.summary.is_discarded()) o.summary = nullptr;
  return o;
}

namespace {

std::string base_name(std::string program) {
  auto slash = program.find_last_of("\\/");
  if (slash != std::string::npos) program = program.substr(slash + 1);
  std::transform(program.begin(), program.end(), program.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (program.size() > 4 && (program.ends_with(".exe") || program.ends_with(".com")))
    program.resize(program.size() - 4);
  return program;
}

}  // namespace

std::vector<std::string> journal_commands(const nlohmann::json& dump) {
  std::vector<std::string> out;
  for (const auto& entry : dump.at("journal")) {
    const auto& argv = entry.at("argv");
    if (argv.empty()) continue;
    std::string name = base_name(argv[0].get<std::string>());
    if (name == "emcmd" && argv.size() >= 3) name += " " + argv[2].get<std::string>();
    if (name == "reg" && argv.size() >= 2) name += " " + argv[1].get<std::string>();
    if (name == "certutil")  // its verb, after any option (-f)
      for (std::size_t i = 1; i < argv.size(); ++i)
        if (std::string a = argv[i].get<std::string>(); a != "-f") {
          name += " " + a;
          break;
        }
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.push_back(name);
  }
  return out;
}

bool is_change_command(const std::string& name) {
  static const std::set<std::string> changes{"eqv_remove",
                                             "sys_remove",
                                             "net_remove",
                                             "lcdsync",
                                             "ins_remove",
                                             "del",
                                             "remove-item",  // del on PowerShell nodes
                                             "reg delete",
                                             "reg add",
                                             "reg export",
                                             "emcmd deletejob",
                                             "emcmd deletelocalmirroronly",
                                             "emcmd clearswitchover"};
  // certutil -encode writes a file on the node, as reg export does.
  if (name == "certutil -encode") return true;
  return changes.count(name) > 0;
}

std::string newest_run_dir(const std::string& log_dir) {
  // Run folders hold run.json (LOG_DIR also holds the lock file and open-checklists/).
  // By when run.json was written: two runs within one second have ids that sort by
  // their random part.
  std::string newest;
  fs::file_time_type newest_time{};
  for (const auto& e : fs::directory_iterator(log_dir)) {
    if (!e.is_directory() || !fs::exists(e.path() / "run.json")) continue;
    auto written = fs::last_write_time(e.path() / "run.json");
    if (newest.empty() || written > newest_time) {
      newest = e.path().string();
      newest_time = written;
    }
  }
  return newest;
}

lab::ProcessResult validate_json(const std::string& schema, const std::string& file) {
  return lab::run_process({std::string(LKR_SOURCE_DIR) + "/scripts/validate-json",
                           std::string(LKR_SOURCE_DIR) + "/schemas/" + schema, file});
}

nlohmann::json end_state(const lab::testing::LabFixture& lab) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& n : lab.record().nodes) {
    std::string name = n.cluster + "/" + n.system;
    nlohmann::json d = lab.dump(name);
    d.erase("journal");
    out[name] = std::move(d);
  }
  return out;
}

std::vector<std::string> changes_since(const lab::testing::LabFixture& lab,
                                       const nlohmann::json& before, const std::string& cluster) {
  std::vector<std::string> out;
  for (const auto& n : lab.record().nodes) {
    if (n.cluster != cluster) continue;
    std::string name = n.cluster + "/" + n.system;
    nlohmann::json d = lab.dump(name);
    for (const auto& c : journal_commands(d))
      if (is_change_command(c)) out.push_back(name + " ran " + c);
    d.erase("journal");
    if (!before.contains(name) || d != before.at(name)) out.push_back(name + " changed");
  }
  return out;
}

nlohmann::json cluster_summary(const nlohmann::json& summary, const std::string& name) {
  if (summary.is_object() && summary.contains("clusters"))
    for (const auto& c : summary["clusters"])
      if (c["name"] == name) return c;
  return nullptr;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string utf16le(const std::string& ascii) {
  std::string out;
  for (char c : ascii) out += std::string{c, '\0'};
  return out;
}

std::vector<nlohmann::json> read_events(const std::string& run_dir) {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_text(run_dir + "/events.jsonl"));
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded())
      throw std::runtime_error(run_dir + "/events.jsonl:" + std::to_string(number) +
                               ": not JSON: " + line.substr(0, 200));
    out.push_back(std::move(j));
  }
  return out;
}

int spawn_lkrecover(const std::vector<std::string>& args, const std::string& out_path) {
  std::string bin = LKRECOVER_BINARY;
  std::string password;
  std::vector<std::string> copy{bin};
  for (auto& a : with_password_option(args, password)) copy.push_back(a);
  std::vector<char*> argv;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  // The child's environment, prepared before fork: ours, and the password when needed.
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e) env_text.emplace_back(*e);
  if (!password.empty()) env_text.push_back(std::string(kWinrmPasswordVar) + "=" + password);
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int in = ::open("/dev/null", O_RDONLY);
    if (out >= 0) {
      dup2(out, 1);
      dup2(out, 2);
    }
    if (in >= 0) dup2(in, 0);
    execve(bin.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  if (pid < 0) throw std::runtime_error("fork failed");
  return pid;
}

int wait_exit(int pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace lkr::e2e
