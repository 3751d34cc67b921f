#include "tests/lab/node/command_context.h"

#include "tests/lab/node/codepage.h"
#include "tests/lab/node/text_util.h"

namespace lab {

std::optional<std::string> LineSession::env(const std::string& name) const {
  for (const auto& [k, v] : state.env)
    if (iequals(k, name)) return v;
  return std::nullopt;
}

std::string LineSession::absolute(const std::string& p) const {
  std::string path;
  if (p.size() >= 2 && p[1] == ':') {
    path = (p.size() > 2 && (p[2] == '\\' || p[2] == '/')) ? p : cwd + "\\" + p.substr(2);
    if (!iequals(p.substr(0, 1), cwd.substr(0, 1))) path = p;  // another drive: as given
  } else if (!p.empty() && (p[0] == '\\' || p[0] == '/')) {
    path = cwd.substr(0, 2) + p;
  } else {
    path = cwd + "\\" + p;
  }
  std::vector<std::string> parts;
  auto pieces = split_any(path.substr(2), "\\/");
  for (const auto& piece : pieces) {
    if (piece.empty() || piece == ".") continue;
    if (piece == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(piece);
  }
  return path.substr(0, 2) + "\\" + join(parts, "\\");
}

void CommandContext::out(std::string_view utf8) {
  stdout_bytes += to_console(utf8, session.codepage);
}

void CommandContext::err(std::string_view utf8) {
  stderr_bytes += to_console(utf8, session.codepage);
}

void CommandContext::flush() {
  if (!stdout_bytes.empty()) session.terminal->write_out(stdout_bytes);
  if (!stderr_bytes.empty()) session.terminal->write_err(stderr_bytes);
  stdout_bytes.clear();
  stderr_bytes.clear();
}

std::optional<std::string> CommandContext::read_line() {
  flush();
  auto line = session.terminal->read_line();
  if (line) *line = from_codepage(*line, session.codepage);
  return line;
}

void CommandContext::modify_state(const std::function<void(NodeState&)>& change) {
  NodeLock lock(session.node_dir);
  NodeState s = load_node(session.node_dir);
  change(s);
  save_node(session.node_dir, s);
  session.state = std::move(s);
}

}  // namespace lab
