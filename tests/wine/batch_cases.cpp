// One batch line (lkr::render_batch_line) of the commands the product batches and of
// programs whose exit codes the case chooses, run as `cmd.exe /c <line>` under Wine and
// in the lab's emulator, and each command also run alone on both. The line's output is
// split with lkr::split_batch_output; for every command:
//   - on each side, the batch's part equals the command run alone (exit code, stdout,
//     stderr): the markers, `(call )` and CALL's late %ERRORLEVEL% change nothing;
//   - a program's exit code is the chosen one (0, 3, 255; 9009 for a missing program),
//     `if exist` and `type` exit 0 whatever ran before them;
//   - argv_echo.exe (under Wine) and the lab's ins_list (in the emulator) get the intended
//     argv, hostile arguments included;
//   - where both sides run the same thing (built-ins, chosen exits, a missing program),
//     Wine and the emulator agree, except as DIVERGENCES.md lists.
// Wine's cmd gets a dynamic ERRORLEVEL here (RunnerEnvironment::dynamic_errorlevel): the
// argv cases' self-named ERRORLEVEL variable would shadow the one CALL must expand.
#include "tests/wine/batch_cases.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>

#include "tests/lab/node/node_ops.h"
#include "tests/wine/argv_cases.h"
#include "tests/wine/emulator_node.h"
#include "transports/cmd_quoting.h"
#include "transports/command_batch.h"
#include "transports/transport.h"

namespace wine {
namespace {

namespace fs = std::filesystem;
using Args = std::vector<std::string>;

// argv_echo.exe under Wine; the lab's ins_list in the emulator (its argv is journaled).
const std::string kArgvEcho = "C:\\LK\\Bin\\ins_list.exe";

// Programs whose exit code the case chooses: exit_with.exe (its argument) under Wine, a
// `fail` fault with that code and no message in the emulator.
struct ChosenExit {
  std::string path, fault_name;
  int code = 0;
};
const std::vector<ChosenExit> kChosenExits = {{"C:\\LK\\Bin\\eqv_list.exe", "eqv_list", 0},
                                              {"C:\\LK\\Bin\\sys_list.exe", "sys_list", 3},
                                              {"C:\\LK\\Bin\\net_list.exe", "net_list", 255}};

const std::string kFolder = "C:\\lkrbatch";
const std::vector<std::pair<std::string, std::string>> kFiles = {
    {kFolder + "\\present.E", "x\r\n"},
    {kFolder + "\\LKDRInfo.E", "first line\r\nsecond line\r\n"},
    {kFolder + "\\no newline (x).E", "no final newline"}};

// Minimal cases of the argv runs (argv_cases.h), those a batch can carry under Wine:
// with ERRORLEVEL dynamic, W1 would expand an argument's %ERRORLEVEL% under Wine.
const std::vector<Args> kRegressionCases = {
#include "tests/wine/argv_regressions.inc"
};

bool names_errorlevel(const Args& args) {
  for (std::string a : args) {
    std::transform(a.begin(), a.end(), a.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (a.find("ERRORLEVEL") != std::string::npos) return true;
  }
  return false;
}

std::vector<Args> hostile_argument_vectors() {
  std::vector<Args> vectors;
  for (const auto& args : kRegressionCases)
    if (!names_errorlevel(args)) vectors.push_back(args);
  for (std::uint64_t i = 0; vectors.size() < kRegressionCases.size() + 3; ++i)
    if (Args args = generate_args(15, i); !names_errorlevel(args)) vectors.push_back(args);
  return vectors;
}

enum class Kind { argv_echo, same_on_both };

struct Step {
  std::string label;
  lkr::Command command;
  Kind kind = Kind::same_on_both;
  int code = 0;  // same_on_both: the exit code expected on both sides
};

lkr::Command if_exist(const std::string& path) {
  return lkr::Command{lkr::CommandKind::if_exist, "if exist", {lkr::Arg{path}}};
}

lkr::Command chosen_exit(std::size_t i) {
  return lkr::program(kChosenExits[i].path, {std::to_string(kChosenExits[i].code)});
}

// The batch lines, each of several commands. Built-ins follow non-zero exits, to show
// `(call )` resets ERRORLEVEL before each command. Each of the first two lines holds one
// `if exist`: Wine's cmd misreads a second `if ... else (...)` block on a line (W9), which
// the third line shows on its own.
struct Line {
  std::string name;
  std::vector<Step> steps;
};

std::vector<Line> lines() {
  auto argv = hostile_argument_vectors();
  std::size_t next_argv = 0;
  auto echo = [&] {
    const Args& args = argv[next_argv++];
    return Step{"argv_echo " + show(args), lkr::program(kArgvEcho, args), Kind::argv_echo};
  };
  const Step present{"if exist (present)", if_exist(kFiles[0].first), Kind::same_on_both, 0};
  const Step absent{"if exist (absent)", if_exist(kFolder + "\\absent.E"), Kind::same_on_both, 0};
  Line first{"line 1", {echo(), {"exit 3", chosen_exit(1), Kind::same_on_both, 3}, present}};
  first.steps.push_back(echo());
  first.steps.push_back({"exit 255", chosen_exit(2), Kind::same_on_both, 255});
  first.steps.push_back({"type", lkr::builtin("type", {kFiles[1].first}), Kind::same_on_both, 0});
  while (next_argv < argv.size() / 2) first.steps.push_back(echo());
  first.steps.push_back({"exit 3 (last)", chosen_exit(1), Kind::same_on_both, 3});
  // 9009: cmd's code for a command it cannot find.
  Line second{"line 2",
              {{"missing program", lkr::program("C:\\LK\\Bin\\nosuch.exe", {"x"}),
                Kind::same_on_both, 9009},
               absent,
               {"exit 0", chosen_exit(0), Kind::same_on_both, 0},
               {"type (no final newline)", lkr::builtin("type", {kFiles[2].first}),
                Kind::same_on_both, 0}}};
  while (next_argv < argv.size()) second.steps.push_back(echo());
  return {first, second, Line{"two ifs (W9 probe)", {absent, present}}};
}

// "step | field" -> the entry of DIVERGENCES.md that explains it.
const std::map<std::string, std::string> kKnown = {
#include "tests/wine/batch_divergences.inc"
};

std::string shown(const std::string& bytes) {
  std::string s;
  for (unsigned char c : bytes) {
    if (c == '\r') {
      s += "\\r";
    } else if (c == '\n') {
      s += "\\n";
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      s += buf;
    } else {
      s += static_cast<char>(c);
    }
  }
  return s;
}

struct Tally {
  int agree = 0, known = 0, unknown = 0, fixed = 0;
  void compare(const std::string& where, const std::string& field, const std::string& wine,
               const std::string& emulator, const char* left = "wine",
               const char* right = "emulator") {
    auto k = kKnown.find(where + " | " + field);
    bool same = wine == emulator;
    if (same && k == kKnown.end()) {
      ++agree;
      return;
    }
    if (same) {
      ++fixed;
      std::cout << "NOTE: listed divergence " << k->second << " no longer occurs: " << where
                << " | " << field << "\n";
      return;
    }
    if (k != kKnown.end()) {
      ++known;
      std::cout << "known " << k->second << ": " << where << " | " << field << "\n";
    } else {
      ++unknown;
      std::cout << "DIFFERENCE: " << where << " | " << field << "\n";
    }
    std::cout << "  " << left << ": " << shown(wine) << "\n  " << right << ": " << shown(emulator)
              << "\n";
  }
  void compare_results(const std::string& where, const lkr::CommandResult& a,
                       const lkr::CommandResult& b, const char* left, const char* right) {
    compare(where, "rc", std::to_string(a.exit_code), std::to_string(b.exit_code), left, right);
    compare(where, "stdout", a.stdout_utf8, b.stdout_utf8, left, right);
    compare(where, "stderr", a.stderr_utf8, b.stderr_utf8, left, right);
  }
};

lkr::CommandResult as_result(int rc, const std::string& out, const std::string& err) {
  lkr::CommandResult r;
  r.exit_code = rc;
  r.stdout_utf8 = out;
  r.stderr_utf8 = err;
  return r;
}

// The batch's output split, or nullopt after reporting why it cannot be.
std::optional<std::vector<lkr::CommandResult>> split(const char* side, int rc,
                                                     const std::string& out, const std::string& err,
                                                     std::size_t count, const std::string& nonce,
                                                     Tally& tally) {
  try {
    return lkr::split_batch_output(as_result(rc, out, err), count, nonce);
  } catch (const lkr::BatchOutputError& e) {
    ++tally.unknown;
    std::cout << "DIFFERENCE: " << side << ": the batch's output does not split: " << e.what()
              << "\n  at: " << shown(e.raw_line) << "\n  stdout: " << shown(out)
              << "\n  stderr: " << shown(err) << "\n";
    return std::nullopt;
  }
}

void write_file(const std::string& host, const std::string& content) {
  fs::create_directories(fs::path(host).parent_path());
  std::ofstream(host, std::ios::binary) << content;
}

std::string emulator_host_path(const EmulatorNode& node, const std::string& windows_path) {
  std::string rel = windows_path.substr(3);
  std::replace(rel.begin(), rel.end(), '\\', '/');
  return node.dir() + "/C/" + rel;
}

void prepare_wine(const Prefix& prefix) {
  prefix.install_argv_echo(kArgvEcho);
  for (const auto& e : kChosenExits) prefix.install_exit_with(e.path);
  fs::remove_all(prefix.host_path(kFolder));
  for (const auto& [path, content] : kFiles) write_file(prefix.host_path(path), content);
}

void prepare_emulator(const EmulatorNode& node) {
  for (const auto& [path, content] : kFiles) write_file(emulator_host_path(node, path), content);
  for (const auto& e : kChosenExits) {
    lab::Fault f;
    f.command = e.fault_name;
    f.kind = "fail";
    f.rc = e.code;
    f.message = "";
    lab::arm_fault(node.dir(), f);
  }
}

// Under load Wine's CreateProcess now and then fails to start a program that exists, and
// its cmd then reports 9009 (DIVERGENCES.md, last note): such a run is repeated, twice at
// most, and counted.
bool launch_failed(const Step& step, int rc) {
  return rc == 9009 && step.command.kind == lkr::CommandKind::program && step.code != 9009;
}

struct Sides {
  const Prefix& prefix;
  CmdRunner& runner;
  EmulatorNode& node;
  Tally& tally;
  int relaunched = 0;
};

// Wine's run of `line`, repeated while a program that exists was not started.
CmdResult run_wine(Sides& sides, const std::string& line,
                   const std::function<bool(const CmdResult&)>& launch_failure) {
  CmdResult r = sides.runner.run(line);
  for (int attempt = 0; attempt < 2 && launch_failure(r); ++attempt) {
    ++sides.relaunched;
    r = sides.runner.run(line);
  }
  return r;
}

void compare_alone(Sides& sides, const std::string& where, const Step& step,
                   const std::optional<std::vector<lkr::CommandResult>>& wine_parts,
                   const std::optional<std::vector<lkr::CommandResult>>& emulator_parts,
                   std::size_t i) {
  std::string alone_line = lkr::render_cmd_line(step.command);
  CmdResult wine_alone =
      run_wine(sides, alone_line, [&](const CmdResult& r) { return launch_failed(step, r.rc); });
  EmulatorResult emulator_alone = sides.node.run(alone_line);
  if (wine_parts)
    sides.tally.compare_results(where + " | wine", (*wine_parts)[i],
                                as_result(wine_alone.rc, wine_alone.out, wine_alone.err), "batch",
                                "alone");
  if (emulator_parts)
    sides.tally.compare_results(
        where + " | emulator", (*emulator_parts)[i],
        as_result(emulator_alone.rc, emulator_alone.out, emulator_alone.err), "batch", "alone");
}

void compare_sides(Tally& tally, const std::string& where, const Step& step,
                   const std::optional<std::vector<lkr::CommandResult>>& wine_parts,
                   const std::optional<std::vector<lkr::CommandResult>>& emulator_parts,
                   std::size_t i) {
  if (wine_parts && emulator_parts)
    tally.compare_results(where, (*wine_parts)[i], (*emulator_parts)[i], "wine", "emulator");
  std::string code = std::to_string(step.code);
  if (wine_parts)
    tally.compare(where, "wine rc as chosen", std::to_string((*wine_parts)[i].exit_code), code,
                  "wine", "chosen");
  if (emulator_parts)
    tally.compare(where, "emulator rc as chosen", std::to_string((*emulator_parts)[i].exit_code),
                  code, "emulator", "chosen");
}

void compare_argv(Tally& tally, const std::string& where, const Step& step,
                  const std::vector<Args>& wine_argvs, const std::vector<Args>& emulator_argvs,
                  std::size_t k) {
  Args intended{kArgvEcho};
  for (const auto& a : step.command.args) intended.push_back(a.text);
  tally.compare(where, "wine argv", show(k < wine_argvs.size() ? wine_argvs[k] : Args{}),
                show(intended), "wine", "intended");
  tally.compare(where, "emulator argv",
                show(k < emulator_argvs.size() ? emulator_argvs[k] : Args{}), show(intended),
                "emulator", "intended");
}

std::optional<std::vector<lkr::CommandResult>> quietly_split(const CmdResult& r, std::size_t count,
                                                             const std::string& nonce) {
  try {
    return lkr::split_batch_output(as_result(r.rc, r.out, r.err), count, nonce);
  } catch (const lkr::BatchOutputError&) {
    return std::nullopt;
  }
}

// Runs one batch line on both sides and each of its commands alone, and compares them;
// false when the line cannot be rendered (the case itself is wrong).
bool run_line(Sides& sides, const Line& l) {
  std::vector<lkr::Command> commands;
  for (const auto& step : l.steps) commands.push_back(step.command);
  if (!lkr::batch_fits(commands, lkr::Shell::cmd)) {
    std::cout << l.name << ": its commands do not fit one cmd line\n";
    return false;
  }
  const std::size_t count = l.steps.size();
  const std::string nonce = lkr::new_batch_nonce();
  const std::string line = lkr::render_batch_line(commands, lkr::Shell::cmd, nonce);
  CmdResult wine = run_wine(sides, line, [&](const CmdResult& r) {
    auto parts = quietly_split(r, count, nonce);
    for (std::size_t i = 0; parts && i < count; ++i)
      if (launch_failed(l.steps[i], (*parts)[i].exit_code)) return true;
    return false;
  });
  auto wine_parts =
      split((l.name + " | wine").c_str(), wine.rc, wine.out, wine.err, count, nonce, sides.tally);
  EmulatorResult emulator = sides.node.run(line);
  auto emulator_parts = split((l.name + " | emulator").c_str(), emulator.rc, emulator.out,
                              emulator.err, count, nonce, sides.tally);
  std::vector<Args> emulator_argvs;
  for (const auto& argv : emulator.argvs)
    if (!argv.empty() && argv[0] == kArgvEcho) emulator_argvs.push_back(argv);
  std::size_t echoes = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const Step& step = l.steps[i];
    const std::string where = l.name + " | " + step.label;
    compare_alone(sides, where, step, wine_parts, emulator_parts, i);
    if (step.kind == Kind::same_on_both)
      compare_sides(sides.tally, where, step, wine_parts, emulator_parts, i);
    else
      compare_argv(sides.tally, where, step, wine.argv_splits, emulator_argvs, echoes++);
  }
  sides.tally.compare(l.name, "argv_echo runs", std::to_string(wine.argv_splits.size()),
                      std::to_string(emulator_argvs.size()));
  sides.tally.compare(l.name, "argv_echo runs as intended", std::to_string(echoes),
                      std::to_string(emulator_argvs.size()), "intended", "emulator");
  return true;
}

}  // namespace

int run_batch_cases(const Prefix& prefix) {
  prepare_wine(prefix);
  CmdRunner runner(prefix, RunnerEnvironment{false, true});
  EmulatorNode node(437, "C:\\Program Files\\SIOS\\DataKeeper");
  prepare_emulator(node);
  Tally tally;
  Sides sides{prefix, runner, node, tally};
  std::size_t commands = 0;
  for (const Line& l : lines()) {
    if (!run_line(sides, l)) return 1;
    commands += l.steps.size();
  }
  std::printf(
      "batch conformance: %zu commands in %zu lines; %d comparisons agree, %d known Wine "
      "divergences, %d unexplained differences, %d listed divergences no longer seen (%d Wine "
      "launch failures re-run)\n",
      commands, lines().size(), tally.agree, tally.known, tally.unknown, tally.fixed,
      sides.relaunched);
  return tally.unknown == 0 ? 0 : 1;
}

}  // namespace wine
