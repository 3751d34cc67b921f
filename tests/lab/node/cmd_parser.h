// cmd.exe's reading of one command line, as OpenSSH for Windows hands it over with
// `cmd.exe /c <line>`. The model of the phases follows jeb's and dbenham's analysis
// ("How does the Windows Command Interpreter (CMD.EXE) parse scripts?", Stack Overflow
// question 4094699), command-line mode, and `cmd /?` for the /c quote rule.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lab {

// `cmd /?`: if the line starts with `"` and NOT all of [exactly two quotes, no special
// character (&<>()@^|) between them, whitespace between them, the text between them names
// an executable file] hold, the first quote and the last quote are removed (text after
// the last quote is kept).
std::string apply_slash_c_quote_rule(const std::string& line,
                                     const std::function<bool(const std::string&)>& is_executable);

// Phase 1, command-line mode: %NAME% -> value (names case-insensitive via `lookup`); an
// undefined %NAME% stays as typed and the scan resumes at its closing % (so
// "%a %b% c%" with only b=a defined gives "%a a c%"); a lone % stays; no %% escape.
// Supports the :~n,m substring and :old=new substitution forms for defined names.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
std::string expand_percent(const std::string& line, const EnvLookup& lookup);

// Thrown for what cmd would reject ("The syntax of the command is incorrect.", or
// "X was unexpected at this time.") and for syntax the lab does not model (| <, and every
// > but `1>&2`).
struct CmdSyntaxError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CmdNode;
using CmdNodePtr = std::unique_ptr<CmdNode>;

struct IfCondition {
  bool negate = false;
  bool ignore_case = false;
  std::string kind;         // "exist" | "defined" | "errorlevel" | "=="
  std::string left, right;  // exist/defined/errorlevel: left only (quotes kept)
};

// Phase 2's result. `text` of a command is the line's text for it with carets applied
// outside quotes (an escaped char kept, the caret dropped) and quotes kept.
struct CmdNode {
  enum class Kind { command, sequence, and_then, or_else, block, if_command };
  Kind kind = Kind::command;
  std::string text;        // command
  CmdNodePtr left, right;  // sequence (&), and_then (&&), or_else (||)
  CmdNodePtr body;         // block: its content; if: the then branch
  CmdNodePtr else_branch;  // if: may be null
  IfCondition condition;   // if
  // command: ended with `1>&2` (or `>&2`): what it writes to stdout goes to stderr. The
  // only redirection the lab models (the batch markers, transports/command_batch.h).
  bool stdout_to_stderr = false;
};

// Parses an expanded line. An empty line gives nullptr.
CmdNodePtr parse_command_line(const std::string& expanded);

// The command name as cmd reads it from a command's text: leading delimiters skipped,
// up to whitespace , ; = / or ( outside quotes; quotes removed. `rest` gets the text after
// the name (unchanged, quotes kept), `name_start` the offset where the name begins.
struct CommandName {
  std::string name;
  std::string rest;
  size_t name_start = 0;
};
CommandName split_command_name(const std::string& text);

// Words of a built-in's arguments: split at whitespace outside quotes, quotes removed.
std::vector<std::string> builtin_words(const std::string& rest);

}  // namespace lab
