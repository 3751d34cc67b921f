// A command to run on a node, as a value: a program and its arguments, never a
// pre-pasted string. Only the quoting layer (cmd_quoting.h) turns it into a
// command line, and only display() renders it for humans, with secrets masked.
#pragma once

#include <string>
#include <vector>

namespace lkr {

struct Arg {
  std::string text;     // UTF-8
  bool secret = false;  // masked as "********" in every rendering for humans
};

enum class CommandKind {
  program,   // program path + argv, quoted with CommandLineToArgvW rules + cmd escapes
  builtin,   // a cmd.exe built-in (del, type, chcp, ...): args quoted as cmd paths
  if_exist,  // `if exist "PATH" (echo yes) else (echo no)`: args = {path}
};

struct Command {
  CommandKind kind = CommandKind::program;
  std::string program;  // "C:\\LK\\Bin\\eqv_list.exe", or the built-in's name ("del")
  std::vector<Arg> args;
  // Exit codes other than 0 that are an answer, not a failure, of a read-only command
  // (an empty LCD list's 7, emcmd's 15 "not mirrored"): recorded as ok; the parser that
  // reads the output still decides whether it makes sense.
  std::vector<int> answer_codes = {};
  // What a read's output is a record of, as the audit folder names its snapshot
  // ("equivalencies/eqv_list.txt"): chosen by the step that reads, never derived from
  // argv, so that a path or a flag never becomes a file name. The part before the first
  // '/' is a folder the product names; the rest is one file name, whatever it holds (a
  // volume or job id may hold '/'). Empty for changes.
  std::string record = {};
};

inline Command program(std::string path, std::vector<std::string> args) {
  Command c{CommandKind::program, std::move(path), {}};
  for (auto& a : args) c.args.push_back(Arg{std::move(a), false});
  return c;
}
inline Command builtin(std::string name, std::vector<std::string> args) {
  Command c{CommandKind::builtin, std::move(name), {}};
  for (auto& a : args) c.args.push_back(Arg{std::move(a), false});
  return c;
}

}  // namespace lkr
