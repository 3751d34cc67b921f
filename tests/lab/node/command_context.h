// What one command (a built-in or a program) sees while it runs on the node.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/lab/node/messages.h"
#include "tests/lab/node/node_state.h"
#include "tests/lab/node/terminal.h"

namespace lab {

// State that lives for one command line (one `cmd.exe /c`).
struct LineSession {
  std::string node_dir;
  std::string raw_line;  // as received, UTF-8
  Terminal* terminal = nullptr;
  NodeState state;     // refreshed before every command
  std::string cwd;     // Windows path
  int codepage = 437;  // the active output code page (chcp changes it)
  int last_rc = 0;
  int empty_calls = 0;          // `(call )`s run so far on this line: each starts a batched command
  bool entered_window = false;  // a sys_remove/net_remove succeeded: see cluster_window.h
  bool left_window = false;     // an lcdsync succeeded

  // A node on code page 932 speaks Japanese while its console can show it.
  bool japanese() const { return state.codepage == 932 && (codepage == 932 || codepage == 65001); }
  std::optional<std::string> env(const std::string& name) const;  // case-insensitive
  // A Windows path made absolute against cwd and normalised ("C:\LK\x").
  std::string absolute(const std::string& windows_path) const;
};

class CommandContext {
 public:
  CommandContext(LineSession& s, std::vector<std::string> argv, std::string rest)
      : session(s), argv(std::move(argv)), rest(std::move(rest)) {}

  LineSession& session;
  std::vector<std::string> argv;  // as CommandLineToArgvW gives it (built-ins too)
  std::string rest;               // built-ins: the text after the command name

  const NodeState& state() const { return session.state; }
  bool japanese() const { return session.japanese(); }
  std::string msg(Msg id, const std::vector<std::string>& args = {}) const {
    return message(id, japanese(), args);
  }

  // Output, UTF-8 in: "\n" becomes CRLF, text is encoded in the active code page.
  void out(std::string_view utf8);
  void out_line(std::string_view utf8) { out(std::string(utf8) + "\n"); }
  void err(std::string_view utf8);
  void err_line(std::string_view utf8) { err(std::string(utf8) + "\n"); }
  void out_bytes(std::string_view bytes) { stdout_bytes += bytes; }
  void err_bytes(std::string_view bytes) { stderr_bytes += bytes; }
  // stdin: what was printed so far is sent first (a prompt must show before the read).
  std::optional<std::string> read_line();

  // Load-modify-save of node.json under the node lock; the snapshot is refreshed.
  void modify_state(const std::function<void(NodeState&)>& change);

  std::string stdout_bytes, stderr_bytes;  // not yet written to the terminal
  void flush();
};

using CommandHandler = int (*)(CommandContext&);

}  // namespace lab
