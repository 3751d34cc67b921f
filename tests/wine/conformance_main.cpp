// wine_conformance: the quoting layer and the lab's cmd.exe emulator, checked against an
// independent cmd.exe (Wine's) and a real Windows program (argv_echo.exe).
//
//   wine_conformance argv [--cases N] [--seed S] [--jobs J]
//     N generated argument vectors (plus the fixed regression cases), each rendered by
//     lkr::render_cmd_line and run as `cmd.exe /c <line>` under Wine and in the emulator:
//     the argv the program receives must equal the intended argv on both. A failure is
//     shrunk to a minimal vector and printed.
//   wine_conformance builtins
//     the built-ins and reg commands the product emits, on the same inputs, compared for
//     output, exit code and effect (builtin_cases.cpp; Wine's own mistakes are listed in
//     DIVERGENCES.md and treated as known).
//   wine_conformance batch
//     several commands in one line with per-command markers (transports/command_batch.h),
//     split back into each command's exit code and output, compared with the same
//     commands run alone and across Wine and the emulator (batch_cases.cpp).
//
// Exit: 0 all agree, 1 a difference, 2 usage, 77 the tools are missing (skipped), except
// with CI=true in the environment, where missing tools are a failure (1).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/wine/argv_cases.h"
#include "tests/wine/batch_cases.h"
#include "tests/wine/builtin_cases.h"
#include "tests/wine/emulator_node.h"
#include "tests/wine/wine_cmd.h"
#include "transports/cmd_quoting.h"

namespace {

using Clock = std::chrono::steady_clock;
using Args = std::vector<std::string>;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The programs the argv cases call: a plain path, DataKeeper's default path (spaces: the
// program token is quoted and the /c quote rule applies), and a path holding every cmd
// metacharacter a Windows path can hold, plus Japanese.
struct Target {
  std::string program;
  std::string extmirrbase;  // the emulator node's DataKeeper folder
};
const std::vector<Target> kTargets = {
    {"C:\\LK\\Bin\\ins_list.exe", "C:\\Program Files\\SIOS\\DataKeeper"},
    {"C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe", "C:\\Program Files\\SIOS\\DataKeeper"},
    {"C:\\odd (x86)\\a&b^c,d;e=f!g @x\\ツール\\emcmd.exe",
     "C:\\odd (x86)\\a&b^c,d;e=f!g @x\\ツール"},
};

// Minimal cases found by this test (shrunk), kept so they run first, every time.
const std::vector<Args> kRegressionCases = {
#include "tests/wine/argv_regressions.inc"
};

struct Outcome {
  std::string line;
  std::string render_error;
  wine::CmdResult wine;
  wine::EmulatorResult emulator;
};

Args intended_argv(const Target& t, const Args& args) {
  Args v{t.program};
  v.insert(v.end(), args.begin(), args.end());
  return v;
}

std::string describe_failure(const Target& t, const Args& args, const Outcome& o) {
  Args want = intended_argv(t, args);
  std::string s = "  program:  " + t.program + "\n  args:     " + wine::show(args) + "\n";
  if (!o.render_error.empty()) return s + "  render_cmd_line threw: " + o.render_error + "\n";
  s += "  line:     " + o.line + "\n";
  if (o.wine.argv_split != want)
    s += "  wine argv:     " + wine::show(o.wine.argv_split) + " (rc " + std::to_string(o.wine.rc) +
         ", stderr \"" + o.wine.err + "\")\n";
  if (o.emulator.argv != want)
    s += "  emulator argv: " + wine::show(o.emulator.argv) + " (rc " +
         std::to_string(o.emulator.rc) + ", stderr \"" + o.emulator.err + "\")\n";
  return s;
}

bool agrees(const Target& t, const Args& args, const Outcome& o) {
  Args want = intended_argv(t, args);
  return o.render_error.empty() && o.wine.argv_split == want && o.emulator.argv == want;
}

std::string render(const Target& t, const Args& args, std::string* error) {
  try {
    return lkr::render_cmd_line(lkr::program(t.program, args));
  } catch (const std::exception& e) {
    *error = e.what();
    return "";
  }
}

struct ArgvRun {
  std::uint64_t cases = 2000, seed = 1;
  unsigned jobs = 2;
};

int run_argv(const wine::Prefix& prefix, const ArgvRun& opt) {
  for (const auto& t : kTargets) prefix.install_argv_echo(t.program);
  std::vector<std::unique_ptr<wine::EmulatorNode>> nodes;
  for (const auto& t : kTargets)
    nodes.push_back(std::make_unique<wine::EmulatorNode>(437, t.extmirrbase));

  struct Case {
    size_t target;
    Args args;
    Outcome outcome;
  };
  std::vector<Case> cases;
  for (size_t i = 0; i < kRegressionCases.size(); ++i)
    for (size_t t = 0; t < kTargets.size(); ++t) cases.push_back({t, kRegressionCases[i], {}});
  for (std::uint64_t i = 0; i < opt.cases; ++i)
    cases.push_back(
        {static_cast<size_t>(i % kTargets.size()), wine::generate_args(opt.seed, i), {}});
  for (auto& c : cases)
    c.outcome.line = render(kTargets[c.target], c.args, &c.outcome.render_error);

  auto wine_start = Clock::now();
  std::atomic<size_t> next{0};
  std::atomic<size_t> relaunched{0};
  std::vector<std::thread> workers;
  std::mutex error_mutex;
  std::string worker_error;
  for (unsigned j = 0; j < opt.jobs; ++j) {
    workers.emplace_back([&] {
      try {
        wine::CmdRunner runner(prefix);
        for (size_t i; (i = next++) < cases.size();)
          if (cases[i].outcome.render_error.empty())
            cases[i].outcome.wine = runner.run(cases[i].outcome.line);
        relaunched += static_cast<size_t>(runner.relaunches());
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(error_mutex);
        worker_error = e.what();
      }
    });
  }
  for (auto& w : workers) w.join();
  if (!worker_error.empty()) throw std::runtime_error(worker_error);
  double wine_seconds = seconds_since(wine_start);

  auto emu_start = Clock::now();
  for (auto& c : cases)
    if (c.outcome.render_error.empty()) c.outcome.emulator = nodes[c.target]->run(c.outcome.line);
  double emu_seconds = seconds_since(emu_start);

  // Under load Wine's CreateProcess now and then fails, and Wine's cmd then reports the
  // whole line as "Can't recognize ..." (exit 9009) although the program exists. Such a
  // case is run again (twice at most) and counted; any other difference is not retried.
  wine::CmdRunner shrink_runner(prefix);
  auto launch_failed = [](const wine::CmdResult& r) { return r.rc == 9009 && !r.argv_echo_ran; };
  for (auto& c : cases) {
    for (int attempt = 0; attempt < 2 && launch_failed(c.outcome.wine); ++attempt) {
      ++relaunched;
      c.outcome.wine = shrink_runner.run(c.outcome.line);
    }
  }
  size_t failures = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const Target& t = kTargets[c.target];
    if (agrees(t, c.args, c.outcome)) continue;
    if (++failures > 5) continue;  // the first few are shrunk and shown; all are counted
    auto run_both = [&](const Args& args) {
      Outcome o;
      o.line = render(t, args, &o.render_error);
      if (o.render_error.empty()) {
        o.wine = shrink_runner.run(o.line);
        o.emulator = nodes[c.target]->run(o.line);
      }
      return o;
    };
    auto fails = [&](const Args& a) { return !agrees(t, a, run_both(a)); };
    Args minimal = fails(c.args) ? wine::shrink(c.args, fails) : c.args;
    std::cout << "DIFFERENCE in case " << i << " (seed " << opt.seed << "):\n"
              << describe_failure(t, c.args, c.outcome) << " minimal case:\n"
              << describe_failure(t, minimal, run_both(minimal)) << "\n";
  }
  std::printf(
      "argv conformance: %zu cases (%zu regression + %llu generated, seed %llu), %zu "
      "differences (%zu Wine launch failures re-run)\n  wine: %.1f s total, %.1f ms/case wall with "
      "%u runners\n  emulator: %.2f s "
      "total, %.2f ms/case\n",
      cases.size(), kRegressionCases.size() * kTargets.size(),
      static_cast<unsigned long long>(opt.cases), static_cast<unsigned long long>(opt.seed),
      failures, relaunched.load(), wine_seconds,
      1000 * wine_seconds / static_cast<double>(cases.size()), opt.jobs, emu_seconds,
      1000 * emu_seconds / static_cast<double>(cases.size()));
  return failures == 0 ? 0 : 1;
}

wine::Tools tools() {
  wine::Tools t;
  // LKR_WINE overrides the loader found at configure time (e.g. wine64, or a missing one
  // to check that CI=true turns the skip into a failure).
  const char* loader = std::getenv("LKR_WINE");
  t.wine = loader && *loader ? loader : LKR_WINE;
  t.wineserver = LKR_WINESERVER;
  t.argv_echo_exe = LKR_ARGV_ECHO_EXE;
  t.cmd_runner_exe = LKR_CMD_RUNNER_EXE;
  t.exit_with_exe = LKR_EXIT_WITH_EXE;
  return t;
}

int usage() {
  std::cerr << "usage: wine_conformance argv [--cases N] [--seed S] [--jobs J] [--prefix DIR]\n"
               "       wine_conformance builtins [--prefix DIR]\n"
               "       wine_conformance batch [--prefix DIR]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  std::string mode = argv[1];
  ArgvRun opt;
  std::string prefix_dir = LKR_WINE_PREFIX;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--cases")
      opt.cases = std::stoull(v);
    else if (k == "--seed")
      opt.seed = std::stoull(v);
    else if (k == "--jobs")
      opt.jobs = static_cast<unsigned>(std::max(1, std::stoi(v)));
    else if (k == "--prefix")
      prefix_dir = v;
    else
      return usage();
  }
  wine::Tools t = tools();
  if (std::string why = wine::missing_tool(t); !why.empty()) {
    const char* ci = std::getenv("CI");
    bool in_ci = ci && std::strcmp(ci, "true") == 0;
    std::cerr << (in_ci ? "FAIL" : "SKIP") << ": " << why
              << "; install them with scripts/deps (packages wine, wine64, "
                 "g++-mingw-w64-x86-64) and re-run cmake\n";
    return in_ci ? 1 : 77;
  }
  try {
    auto start = Clock::now();
    wine::Prefix prefix(t, prefix_dir);
    std::printf("wine prefix ready in %.1f s (%s)\n", seconds_since(start), prefix_dir.c_str());
    if (mode == "argv") return run_argv(prefix, opt);
    if (mode == "builtins") return wine::run_builtin_cases(prefix);
    if (mode == "batch") return wine::run_batch_cases(prefix);
    return usage();
  } catch (const std::exception& e) {
    std::cerr << "wine_conformance: " << e.what() << "\n";
    return 1;
  }
}
