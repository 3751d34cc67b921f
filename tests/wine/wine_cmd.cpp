#include "tests/wine/wine_cmd.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>

extern char** environ;

namespace wine {
namespace fs = std::filesystem;

namespace {

bool is_executable_on_path(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Runs a program to completion with stdout/stderr to /dev/null; returns its exit status.
int run_quietly(std::vector<std::string> argv, std::vector<std::string> env) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  auto a = c_strings(argv);
  auto e = c_strings(env);
  pid_t pid;
  int err = posix_spawnp(&pid, a[0], &fa, nullptr, a.data(), e.data());
  posix_spawn_file_actions_destroy(&fa);
  if (err != 0) throw std::runtime_error("cannot start " + argv[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Copies a Windows program to `host` (folders created).
void install(const std::string& exe, const std::string& host) {
  fs::path target = host;
  fs::create_directories(target.parent_path());
  fs::copy_file(exe, target, fs::copy_options::overwrite_existing);
}

}  // namespace

std::string to_hex(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  return hex;
}

std::string from_hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

std::string missing_tool(const Tools& t) {
  if (!is_executable_on_path(t.wine)) return "the wine loader \"" + t.wine + "\" is not installed";
  if (!is_executable_on_path(t.wineserver))
    return "wineserver \"" + t.wineserver + "\" is not installed";
  for (const auto& exe : {t.argv_echo_exe, t.cmd_runner_exe, t.exit_with_exe})
    if (exe.empty() || !fs::exists(exe))
      return "the Windows test program \"" + exe +
             "\" was not built (x86_64-w64-mingw32-g++ missing at configure time?)";
  return "";
}

Prefix::Prefix(Tools tools, std::string dir) : tools_(std::move(tools)), dir_(std::move(dir)) {
  fs::create_directories(fs::path(dir_).parent_path());
  if (!fs::exists(dir_ + "/system.reg")) {
    if (run_quietly({tools_.wine, "wineboot", "-i"}, environment()) != 0)
      throw std::runtime_error("wineboot -i failed for WINEPREFIX " + dir_);
  }
  // -p60: the server stays up between processes (so no case pays for its start), and
  // goes away by itself 60 s after the last one even if this run is killed.
  run_quietly({tools_.wineserver, "-p60"}, environment());
}

Prefix::~Prefix() {
  try {
    run_quietly({tools_.wineserver, "-k"}, environment());
  } catch (...) {
  }
}

std::string Prefix::host_path(const std::string& windows_path) const {
  if (windows_path.size() < 3 || (windows_path[0] != 'C' && windows_path[0] != 'c') ||
      windows_path[1] != ':')
    throw std::invalid_argument("not a C: path: " + windows_path);
  // Windows paths are case-insensitive; the prefix's folders are spelled Wine's way
  // (C:\windows\temp): each existing component is matched ignoring ASCII case.
  fs::path host = dir_ + "/drive_c";
  std::string rest = windows_path.substr(3);
  size_t start = 0;
  while (start < rest.size()) {
    size_t end = rest.find('\\', start);
    if (end == std::string::npos) end = rest.size();
    std::string part = rest.substr(start, end - start);
    start = end + 1;
    if (part.empty()) continue;
    fs::path next = host / part;
    std::error_code ec;
    if (!fs::exists(next, ec) && fs::is_directory(host, ec)) {
      for (const auto& entry : fs::directory_iterator(host, ec)) {
        std::string name = entry.path().filename().string();
        if (name.size() == part.size() &&
            std::equal(name.begin(), name.end(), part.begin(), [](char a, char b) {
              return std::tolower(static_cast<unsigned char>(a)) ==
                     std::tolower(static_cast<unsigned char>(b));
            })) {
          next = entry.path();
          break;
        }
      }
    }
    host = next;
  }
  return host.string();
}

void Prefix::install_argv_echo(const std::string& windows_path) const {
  install(tools_.argv_echo_exe, host_path(windows_path));
}

void Prefix::install_exit_with(const std::string& windows_path) const {
  install(tools_.exit_with_exe, host_path(windows_path));
}

std::vector<std::string> Prefix::environment() const {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string v = *e;
    if (v.rfind("WINEPREFIX=", 0) == 0 || v.rfind("WINEDEBUG=", 0) == 0 ||
        v.rfind("LKR_ARGV_ECHO_SPLIT=", 0) == 0 || v.rfind("LKR_CMD_RUNNER_PATH=", 0) == 0 ||
        v.rfind("LKR_CMD_RUNNER_ERRORLEVEL=", 0) == 0 || v.rfind("DISPLAY=", 0) == 0)
      continue;
    env.push_back(v);
  }
  env.push_back("WINEPREFIX=" + dir_);
  env.push_back("WINEDEBUG=-all");
  env.push_back("LKR_ARGV_ECHO_SPLIT=runner");
  return env;
}

CmdRunner::CmdRunner(const Prefix& prefix, bool keep_path)
    : CmdRunner(prefix, RunnerEnvironment{keep_path, false}) {}

CmdRunner::CmdRunner(const Prefix& prefix, RunnerEnvironment environment) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> argv{prefix.tools().wine, prefix.tools().cmd_runner_exe};
  auto env_strings = prefix.environment();
  if (environment.keep_path) env_strings.push_back("LKR_CMD_RUNNER_PATH=keep");
  if (environment.dynamic_errorlevel) env_strings.push_back("LKR_CMD_RUNNER_ERRORLEVEL=dynamic");
  auto a = c_strings(argv);
  auto e = c_strings(env_strings);
  int err = posix_spawnp(&pid_, a[0], &fa, nullptr, a.data(), e.data());
  posix_spawn_file_actions_destroy(&fa);
  ::close(in[0]);
  ::close(out[1]);
  if (err != 0) throw std::runtime_error("cannot start " + argv[0]);
  to_child_ = in[1];
  from_child_ = out[0];
}

CmdRunner::~CmdRunner() {
  if (to_child_ >= 0) ::close(to_child_);  // end of input: the runner exits
  if (from_child_ >= 0) ::close(from_child_);
  if (pid_ > 0) {
    int status;
    ::waitpid(pid_, &status, 0);
  }
}

std::string CmdRunner::read_line() {
  for (;;) {
    size_t nl = buffered_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    char buf[65536];
    ssize_t n = ::read(from_child_, buf, sizeof buf);
    if (n <= 0) throw std::runtime_error("cmd_runner.exe under wine stopped answering");
    buffered_.append(buf, static_cast<size_t>(n));
  }
}

CmdResult CmdRunner::run(const std::string& line) {
  // Under heavy load Wine's CreateProcessW of cmd.exe itself now and then fails (seen:
  // error 1359, ERROR_INTERNAL_ERROR); nothing ran, so the request is simply sent again.
  for (int attempt = 0;; ++attempt) {
    CmdResult r = run_once(line);
    if (attempt == 2 || r.err.rfind("cmd_runner: CreateProcessW failed", 0) != 0) return r;
    ++relaunches_;
  }
}

CmdResult CmdRunner::run_once(const std::string& line) {
  std::string request = to_hex(line) + "\n";
  size_t off = 0;
  while (off < request.size()) {
    ssize_t n = ::write(to_child_, request.data() + off, request.size() - off);
    if (n <= 0) throw std::runtime_error("cannot write to cmd_runner.exe");
    off += static_cast<size_t>(n);
  }
  CmdResult r;
  for (;;) {
    std::string l = read_line();
    if (l == "END") break;
    auto field = [&](const char* tag) {
      std::string t = std::string(tag) + " ";
      return l.compare(0, t.size(), t) == 0 ? std::optional<std::string>(l.substr(t.size()))
                                            : std::nullopt;
    };
    if (auto v = field("RC"))
      r.rc = std::stoi(*v);
    else if (auto o = field("OUT"))
      r.out = from_hex(*o);
    else if (auto e = field("ERR"))
      r.err = from_hex(*e);
    else if (l == "SPLIT")
      r.argv_splits.emplace_back();
    else if (auto a = field("ARG"); (a || l == "ARG") && !r.argv_splits.empty())
      r.argv_splits.back().push_back(a ? from_hex(*a) : "");
  }
  if (!r.argv_splits.empty()) {
    r.argv_split = r.argv_splits.front();
    r.argv_echo_ran = true;
  }
  if (r.out.rfind("CMDLINE ", 0) == 0) r.argv_echo_ran = true;
  return r;
}

}  // namespace wine
