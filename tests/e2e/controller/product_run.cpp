#include "tests/e2e/controller/product_run.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace lkr::e2e {
namespace fs = std::filesystem;

lab::ProcessResult lkrecover(const std::vector<std::string>& args, int timeout_ms) {
  std::vector<std::string> argv{LKRECOVER_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
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
  if (program.size() > 4 && program.ends_with(".exe")) program.resize(program.size() - 4);
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
  return changes.count(name) > 0;
}

std::string newest_run_dir(const std::string& log_dir) {
  std::vector<std::string> dirs;
  for (const auto& e : fs::directory_iterator(log_dir))
    if (e.is_directory()) dirs.push_back(e.path().string());
  std::sort(dirs.begin(), dirs.end());
  return dirs.empty() ? "" : dirs.back();
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

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
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
  std::vector<std::string> copy{bin};
  copy.insert(copy.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int in = ::open("/dev/null", O_RDONLY);
    if (out >= 0) {
      dup2(out, 1);
      dup2(out, 2);
    }
    if (in >= 0) dup2(in, 0);
    execv(bin.c_str(), argv.data());
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
