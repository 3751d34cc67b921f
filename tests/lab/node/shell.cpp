#include "tests/lab/node/shell.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>

#include "tests/lab/node/argv_split.h"
#include "tests/lab/node/cluster_window.h"
#include "tests/lab/node/cmd_parser.h"
#include "tests/lab/node/codepage.h"
#include "tests/lab/node/commands.h"
#include "tests/lab/node/faults.h"
#include "tests/lab/node/powershell.h"
#include "tests/lab/node/text_util.h"

namespace lab {

namespace {

void sleep_ms(int ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

std::string strip_quotes(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '"'), s.end());
  return s;
}

std::optional<std::string> lookup_variable(const LineSession& s, const std::string& name);

// Where a command ending with `1>&2` writes its stdout: the channel's stderr.
class StdoutToStderr : public Terminal {
 public:
  explicit StdoutToStderr(Terminal& inner) : inner_(inner) {}
  void write_out(std::string_view bytes) override { inner_.write_err(bytes); }
  void write_err(std::string_view bytes) override { inner_.write_err(bytes); }
  std::optional<std::string> read_line() override { return inner_.read_line(); }
  [[noreturn]] void drop_connection() override {
    inner_.drop_connection();
    std::abort();  // a Terminal's drop_connection never returns
  }
  [[noreturn]] void hang_until_client_leaves() override {
    inner_.hang_until_client_leaves();
    std::abort();
  }

 private:
  Terminal& inner_;
};

// What one command resolved to.
struct Resolved {
  CommandHandler handler = nullptr;
  std::string fault_name;  // built-in name or program base name, lowercased
  std::vector<std::string> argv;
  std::string rest;
};

class Interpreter {
 public:
  explicit Interpreter(LineSession& s) : s_(s) {}

  // Returns the exit code that counts for && and || after `n`.
  int execute(const CmdNode& n) {
    switch (n.kind) {
      case CmdNode::Kind::command:
        return n.stdout_to_stderr ? run_to_stderr(n.text) : run_command(n.text);
      case CmdNode::Kind::sequence:
        execute(*n.left);
        return execute(*n.right);
      case CmdNode::Kind::and_then: {
        int rc = execute(*n.left);
        return rc == 0 ? execute(*n.right) : rc;
      }
      case CmdNode::Kind::or_else: {
        int rc = execute(*n.left);
        return rc != 0 ? execute(*n.right) : rc;
      }
      case CmdNode::Kind::block:
        return n.body ? execute(*n.body) : 0;
      case CmdNode::Kind::if_command: {
        const CmdNode* branch = condition_holds(n.condition) ? n.body.get() : n.else_branch.get();
        return branch ? execute(*branch) : 0;
      }
    }
    return 0;
  }

 private:
  LineSession& s_;
  std::string command_text_;  // the cmd command being run (carets applied), for faults

  bool condition_holds(const IfCondition& c) {
    bool result = false;
    if (c.kind == "exist") {
      result = exists_on_node(s_.node_dir, s_.state, s_.absolute(strip_quotes(c.left)));
    } else if (c.kind == "defined") {
      result = s_.env(c.left).has_value();
    } else if (c.kind == "errorlevel") {
      result = s_.last_rc >= std::atoi(c.left.c_str());
    } else {
      result = c.ignore_case ? iequals(c.left, c.right) : c.left == c.right;
    }
    return result != c.negate;
  }

  std::optional<Resolved> resolve(const std::string& text) {
    CommandName cn = split_command_name(text);
    std::string lower = to_lower(cn.name);
    Resolved r;
    // "echo." "echo:" ...: ECHO followed directly by one of these still is ECHO.
    if (lower.size() > 4 && lower.compare(0, 4, "echo") == 0 &&
        std::string(".:\\[]+").find(lower[4]) != std::string::npos) {
      r = {cmd_echo, "echo", command_line_to_argv(text.substr(cn.name_start)),
           text.substr(cn.name_start + 4)};
      return r;
    }
    if (CommandHandler h = find_builtin(lower)) {
      r = {h,
           lower == "chdir"   ? "cd"
           : lower == "erase" ? "del"
                              : lower,
           command_line_to_argv(text.substr(cn.name_start)), cn.rest};
      return r;
    }
    auto program = resolve_program(s_, cn.name);
    if (!program) return std::nullopt;
    r = {find_program(program->name), program->name,
         command_line_to_argv(text.substr(cn.name_start)), cn.rest};
    return r;
  }

 public:
  // A program started with `command_line` by CreateProcess, without any shell
  // (PowerShell's ProcessStartInfo): argv[0] names it, built-ins do not exist, and a
  // name without an extension gets ".exe" only (CreateProcess's rule).
  int start_process(const std::string& command_line, const std::function<int()>& missing) {
    refresh_state();
    std::vector<std::string> argv = command_line_to_argv(command_line);
    std::optional<Resolved> r;
    if (!argv.empty()) {
      std::string name = argv[0];
      std::string leaf = name.substr(name.find_last_of("\\/:") + 1);
      if (leaf.find('.') == std::string::npos) name += ".exe";
      if (auto program = resolve_program(s_, name))
        r = Resolved{find_program(program->name), program->name, argv, ""};
    }
    return journaled(r, argv, missing);
  }

  // A command the calling shell implements itself (a PowerShell cmdlet), journaled and
  // open to faults under `name` like any command.
  int run_handler(CommandHandler h, const std::string& name, std::vector<std::string> argv) {
    refresh_state();
    return journaled(Resolved{h, name, std::move(argv), ""}, {}, nullptr);
  }

 private:
  int run_to_stderr(const std::string& text) {
    Terminal* channel = s_.terminal;
    StdoutToStderr redirected(*channel);
    s_.terminal = &redirected;
    int rc = run_command(text);
    s_.terminal = channel;
    return rc;
  }

  // CALL expands %VAR% once more when it runs (after the commands before it on the line:
  // `call echo %^ERRORLEVEL%^` prints the code of the command before it), then runs the
  // result as one command. With nothing to run, `(call )` sets ERRORLEVEL to 0. The
  // batch lines (transports/command_batch.h) start each command with one: the node's
  // latency_ms is waited for each command of a line, the first one's by the line itself.
  int run_call(const std::string& rest) {
    std::string expanded =
        expand_percent(rest, [&](const std::string& n) { return lookup_variable(s_, n); });
    if (expanded.find_first_not_of(" \t") == std::string::npos) {
      if (s_.empty_calls++ > 0) sleep_ms(s_.state.latency_ms);
      s_.last_rc = 0;
      return 0;
    }
    return run_command(expanded);
  }

  int run_command(const std::string& text) {
    CommandName cn = split_command_name(text);
    if (iequals(cn.name, "call")) return run_call(cn.rest);
    command_text_ = text;
    if (cn.name.empty() && strip_quotes(cn.rest).find_first_not_of(" \t") == std::string::npos)
      return s_.last_rc;  // nothing to run ("@", "")
    refresh_state();
    return journaled(resolve(text), command_line_to_argv(text.substr(cn.name_start)), [&] {
      s_.terminal->write_err(
          to_console(message(Msg::not_recognized, s_.japanese(), {cn.name}) + "\n", s_.codepage));
      return 9009;
    });
  }

  // Runs `r` (or, when nothing was found, `missing`) and journals it with `s_.raw_line`.
  int journaled(const std::optional<Resolved>& r, const std::vector<std::string>& argv_if_missing,
                const std::function<int()>& missing) {
    JournalEntry j;
    j.start = iso_utc_now();
    j.command_line = s_.raw_line;
    int rc;
    if (!r) {
      j.argv = argv_if_missing;
      rc = missing();
    } else {
      j.argv = r->argv;
      rc = run_resolved(*r, j);
    }
    j.end = iso_utc_now();
    j.rc = rc;
    append_journal(s_.node_dir, j);
    s_.last_rc = rc;
    apply_window_changes();
    return rc;
  }

  int run_resolved(const Resolved& r, JournalEntry& j) {
    CommandContext ctx(s_, r.argv, r.rest);
    // A fault's `match` is looked for in the command's own text where the line holds
    // several (a batch line names the other commands too), else in the line.
    auto fault = take_fault(s_.node_dir, s_.state, r.fault_name,
                            command_text_.empty() ? s_.raw_line : command_text_);
    if (fault) j.fault = fault->kind;
    if (fault && fault->kind == "fail") {
      std::string m = fault->message;
      if (!m.empty() && m.back() != '\n') m += "\n";
      ctx.err(m);
      ctx.flush();
      return fault->rc;
    }
    if (fault && fault->kind == "delay") sleep_ms(fault->delay_ms);
    if (fault && fault->kind == "tamper") tamper_with_first_file(r.argv);
    if (fault && fault->kind == "hang") {
      finish_journal(j, -1);
      s_.terminal->hang_until_client_leaves();
    }
    if (fault && fault->kind == "garbage") {
      // Fault::apply (node_state.h) decides whether the effect happens behind the junk.
      if (fault->apply) call(r.handler, ctx);
      ctx.stdout_bytes = garbage_bytes(s_.raw_line);
      ctx.stderr_bytes.clear();
      ctx.flush();
      return 0;
    }
    if (fault && fault->kind == "flood") {
      // The command runs as usual; its output comes after the filler.
      int rc = call(r.handler, ctx);
      ctx.stdout_bytes =
          flood_bytes(fault->flood_bytes, fault->flood_line_bytes) + ctx.stdout_bytes;
      ctx.flush();
      return rc;
    }
    if (fault && fault->kind == "corrupt") {
      int rc = call(r.handler, ctx);
      ctx.stdout_bytes = corrupted_in_flight(ctx.stdout_bytes);
      ctx.flush();
      return rc;
    }
    int rc = fault && fault->kind == "drop" && !fault->apply ? -1 : call(r.handler, ctx);
    if (fault && fault->kind == "drop") {
      s_.terminal->write_out(ctx.stdout_bytes.substr(0, ctx.stdout_bytes.size() / 2));
      finish_journal(j, rc);
      apply_window_changes();
      s_.terminal->drop_connection();
    }
    ctx.flush();
    return rc;
  }

  // The first argument naming a file on the node (argv[0] is the command itself).
  void tamper_with_first_file(const std::vector<std::string>& argv) {
    for (size_t i = 1; i < argv.size(); ++i) {
      auto host = host_path(s_.node_dir, s_.absolute(strip_quotes(argv[i])));
      if (!host || !std::filesystem::is_regular_file(*host)) continue;
      tamper_with_file(*host);
      return;
    }
  }

  int call(CommandHandler h, CommandContext& ctx) {
    try {
      return h(ctx);
    } catch (const std::exception& e) {
      ctx.err(std::string("lab-cmd: internal error: ") + e.what() + "\n");
      return 1;
    }
  }

  void finish_journal(JournalEntry& j, int rc) {
    j.end = iso_utc_now();
    j.rc = rc;
    append_journal(s_.node_dir, j);
  }

  void refresh_state() {
    NodeLock lock(s_.node_dir);
    s_.state = load_node(s_.node_dir);
  }

  void apply_window_changes() {
    if (s_.entered_window) enter_cluster_window(s_.node_dir, s_.state, s_.raw_line);
    if (s_.left_window) leave_cluster_window(s_.state);
    s_.entered_window = s_.left_window = false;
  }
};

std::optional<std::string> lookup_variable(const LineSession& s, const std::string& name) {
  if (auto v = s.env(name)) return v;
  if (iequals(name, "CD")) return s.cwd;
  if (iequals(name, "ERRORLEVEL")) return std::to_string(s.last_rc);
  return std::nullopt;
}

void report_syntax_error(LineSession& s, const CmdSyntaxError& e) {
  std::string text = e.what();
  if (text == "The syntax of the command is incorrect.")
    text = message(Msg::syntax_incorrect, s.japanese());
  s.terminal->write_err(to_console(text + "\n", s.codepage));
}

}  // namespace

int start_process(LineSession& s, const std::string& command_line,
                  const std::function<int()>& missing) {
  return Interpreter(s).start_process(command_line, missing);
}

int run_handler(LineSession& s, CommandHandler h, const std::string& name,
                std::vector<std::string> argv) {
  return Interpreter(s).run_handler(h, name, std::move(argv));
}

std::optional<InstalledProgram> resolve_program(const LineSession& s, const std::string& name) {
  if (name.empty()) return std::nullopt;
  std::vector<std::string> candidates;
  if (name.find_first_of("\\/:") != std::string::npos) {
    candidates.push_back(s.absolute(name));
  } else {
    candidates.push_back(s.absolute(name));
    for (const auto& dir : split_any(s.env("PATH").value_or(""), ";")) {
      std::string d = strip_quotes(dir);
      if (d.size() >= 3 && d[1] == ':') candidates.push_back(s.absolute(d + "\\" + name));
    }
  }
  auto extensions = split_any(s.env("PATHEXT").value_or(".COM;.EXE;.BAT;.CMD"), ";");
  for (const auto& c : candidates) {
    for (const auto& ext : extensions)
      if (!ext.empty())
        if (auto p = program_at(s.state, c + ext)) return p;
    if (auto p = program_at(s.state, c)) return p;
  }
  return std::nullopt;
}

int run_command_line(const std::string& node_dir, const std::string& raw_line, Terminal& terminal,
                     const LineOptions& options) {
  LineSession s;
  s.node_dir = node_dir;
  s.raw_line = raw_line;
  s.terminal = &terminal;
  {
    NodeLock lock(node_dir);
    s.state = load_node(node_dir);
  }
  bool shell_codepage = options.codepage > 0 && is_supported_codepage(options.codepage);
  s.codepage = shell_codepage ? options.codepage : s.state.codepage;
  s.cwd = home_folder(s.state);
  sleep_ms(s.state.latency_ms);
  if (!options.winrs) {  // WinRS runs cmd.exe whatever OpenSSH's DefaultShell says
    if (s.state.default_shell == "powershell") return run_powershell_line(s);
    if (s.state.default_shell != "cmd") {
      // Running the line as cmd anyway would be a silent reinterpretation.
      terminal.write_err("lab-cmd: this node's default shell is \"" + s.state.default_shell +
                         "\"; the lab emulates only cmd.exe and PowerShell\r\n");
      return 1;
    }
  }

  std::string line = apply_slash_c_quote_rule(
      raw_line, [&](const std::string& text) { return resolve_program(s, text).has_value(); });
  line = expand_percent(line, [&](const std::string& n) { return lookup_variable(s, n); });
  CmdNodePtr tree;
  try {
    tree = parse_command_line(line);
  } catch (const CmdSyntaxError& e) {
    report_syntax_error(s, e);
    return std::string(e.what()).find("unexpected") != std::string::npos ? 255 : 1;
  }
  if (!tree) return 0;
  Interpreter(s).execute(*tree);
  return s.last_rc;
}

}  // namespace lab
