// Wine's cmd.exe as the differential tests use it: a WINEPREFIX under the build dir
// (created once), a persistent wineserver for the run, and long-lived cmd_runner.exe
// processes that each run `cmd.exe /c <line>` through CreateProcessW per request.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace wine {

struct Tools {
  std::string wine;        // the wine loader ("wine" or "wine64")
  std::string wineserver;  // to keep one server for the whole run
  std::string argv_echo_exe, cmd_runner_exe;
  std::string exit_with_exe;  // exits with the code its first argument names (batch case)
};

// Why the tools cannot be used ("" when they can): a missing file or program.
std::string missing_tool(const Tools& t);

// A prefix at `dir`, initialised with `wineboot -i` when it has no system.reg yet.
// The wineserver is started persistent (-p) and shut down (-k) by the destructor.
class Prefix {
 public:
  Prefix(Tools tools, std::string dir);
  ~Prefix();
  Prefix(const Prefix&) = delete;
  Prefix& operator=(const Prefix&) = delete;

  // Where the Windows path `C:\...` is on this machine.
  std::string host_path(const std::string& windows_path) const;
  // Copies argv_echo.exe (or exit_with.exe) to the Windows path (folders created).
  void install_argv_echo(const std::string& windows_path) const;
  void install_exit_with(const std::string& windows_path) const;
  // The environment every wine process of the run gets.
  std::vector<std::string> environment() const;
  const Tools& tools() const { return tools_; }

 private:
  Tools tools_;
  std::string dir_;
};

struct CmdResult {
  int rc = 0;
  std::string out, err;                 // raw bytes
  std::vector<std::string> argv_split;  // argv_echo's command line, CommandLineToArgvW'd
  bool argv_echo_ran = false;
  // Every argv_echo run of the line, in order (argv_split is the first's): a batch line
  // runs several.
  std::vector<std::vector<std::string>> argv_splits;
};

// What cmd.exe's environment holds besides cmd_runner.cpp's minimal one.
struct RunnerEnvironment {
  bool keep_path = false;           // PATH (to run `reg` by name)
  bool dynamic_errorlevel = false;  // ERRORLEVEL not set, so cmd's own is used (batches)
};

// One cmd_runner.exe; requests are answered in order.
class CmdRunner {
 public:
  // keep_path: cmd.exe gets the Windows PATH (to run `reg` by name); otherwise only the
  // variables of cmd_runner.cpp's minimal_environment (see there, and DIVERGENCES.md W1).
  explicit CmdRunner(const Prefix& prefix, bool keep_path = false);
  CmdRunner(const Prefix& prefix, RunnerEnvironment environment);
  ~CmdRunner();
  CmdRunner(const CmdRunner&) = delete;
  CmdRunner& operator=(const CmdRunner&) = delete;

  // `cmd.exe /c line` (line in UTF-8).
  CmdResult run(const std::string& line);
  // How many times cmd.exe could not even be started and the request was sent again.
  int relaunches() const { return relaunches_; }

 private:
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string buffered_;
  int relaunches_ = 0;
  std::string read_line();
  CmdResult run_once(const std::string& line);
};

std::string to_hex(const std::string& bytes);
std::string from_hex(const std::string& hex);

}  // namespace wine
