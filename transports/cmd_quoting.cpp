#include "transports/cmd_quoting.h"

#include <cctype>
#include <cstdio>
#include <stdexcept>
#include <string_view>

#include "transports/line_chars.h"
#include "transports/utf8_sequence.h"

// How cmd.exe reads the line `cmd.exe /c LINE` (the order matters for every rule here):
//  0. /c quote rule: when LINE starts with `"` (and is not exactly one quoted executable
//     path), cmd drops that first `"` and the LAST `"` of the line. A line starting with
//     `"` is therefore wrapped in one extra pair: `""prog" args"`.
//  1. Percent expansion: `%NAME%` is replaced when NAME is a defined variable (undefined
//     names are left as typed). This runs BEFORE carets are removed, so `^%` does not
//     protect a `%`: `^%PATH^%`... would still pair `%PATH^%` with other percents.
//     We emit every `%` immediately followed by a `^` (the caret escapes the next
//     character, whatever it is). Then the text between ANY two percents of the line
//     starts with `^`, and no variable name (static or dynamic: PATH, CD, RANDOM,
//     =C:, ...) starts with `^`, so no pairing of percents can expand, whichever
//     percent cmd resumes scanning at. Step 2 then removes the caret. A `%` must never
//     be the last character of the line (its caret would escape nothing): every
//     argument holding `%` is quoted, so a closing quote always follows.
//  2. Carets, quotes and operators: outside a quoted region `^X` is a literal X and
//     `& | < > ( )` are operators; an unescaped `"` toggles the quoted region. We
//     escape every `"` too (`^"`), so cmd never enters a quoted region in arguments,
//     and every metacharacter is a caret-escaped literal. The program then receives
//     the text with carets removed, which CommandLineToArgvW splits as intended.
//  3. `!NAME!` expands only with delayed expansion, which cmd /c leaves off by default;
//     `^!` keeps a `!` literal under that default.
// The program token is the exception: cmd finds the program by its first token, which
// only REAL quotes keep whole across spaces, so a program path needing quotes is put
// in real quotes (inside them `& | < > ( ) ^` are literal; `%` and `"` are refused).
namespace lkr {
namespace {

constexpr std::string_view kSecretMask = "********";
constexpr std::string_view kCmdMetachars = "()%!^\"<>&|";

enum class Mode { execute, display };

bool is_cmd_metachar(char c) { return kCmdMetachars.find(c) != std::string_view::npos; }

// Characters that need no quoting in a program path or a built-in's argument: cmd
// splits neither its first token nor a built-in's arguments on them.
bool is_plain_path_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '\\' || c == ':' || c == '.' || c == '_' || c == '-';
}

bool is_plain_path(std::string_view text, bool allow_slash) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_plain_path_char(c) && !(allow_slash && c == '/')) return false;
  }
  return true;
}

std::string hex_escape(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02X", c);
  return buf;
}

// For display and error messages: a line may not carry NUL, CR or LF.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\0' || c == '\r' || c == '\n') {
      out += hex_escape(static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

[[noreturn]] void refuse(const Command& command, const std::string& why) {
  throw std::invalid_argument("cannot build a cmd.exe command line for \"" +
                              printable(command.program) + "\": " + why);
}

void check_line_chars(const Command& command) {
  if (const char* bad = forbidden_char_name(command.program)) {
    refuse(command, std::string("the program name contains ") + bad);
  }
  for (std::size_t i = 0; i < command.args.size(); ++i) {
    if (const char* bad = forbidden_char_name(command.args[i].text)) {
      refuse(command, "argument " + std::to_string(i + 1) + " contains " + bad);
    }
  }
}

// A Windows path cannot hold `"`; `%` cannot be kept literal inside real quotes.
void check_quotable_path(const Command& command, std::string_view path, const std::string& what) {
  if (path.find('"') != std::string_view::npos) refuse(command, what + " contains '\"'");
  if (path.find('%') != std::string_view::npos) {
    refuse(command, what + " contains '%', which cmd would expand inside quotes");
  }
}

// Quotes one argument so that CommandLineToArgvW (and the MSVCRT) give it back as is:
// 2n backslashes before a quote for n literal ones, 2n+1 and the quote for a literal
// quote. Arguments holding `%` are quoted too (see step 1 above).
std::string argv_quote(std::string_view arg) {
  if (!arg.empty() && arg.find_first_of(" \t\v\"%") == std::string_view::npos) {
    return std::string(arg);
  }
  std::string out = "\"";
  std::size_t backslashes = 0;
  for (char c : arg) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    if (c == '"') {
      out.append(2 * backslashes + 1, '\\');
    } else {
      out.append(backslashes, '\\');
    }
    backslashes = 0;
    out += c;
  }
  out.append(2 * backslashes, '\\');  // they precede the closing quote
  out += '"';
  return out;
}

// Makes every cmd metacharacter of `text` literal when read outside a quoted region,
// and puts a caret right after every `%` (steps 1 and 2 above).
std::string cmd_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  bool after_percent = false;
  for (char c : text) {
    if (c == '%') {
      if (after_percent) out += '^';
      out += '%';
      after_percent = true;
      continue;
    }
    if (after_percent || is_cmd_metachar(c)) out += '^';
    out += c;
    after_percent = false;
  }
  return out;
}

std::string program_token(const Command& command, Mode mode) {
  const std::string& path = command.program;
  if (mode == Mode::execute) {
    if (path.empty()) refuse(command, "the program name is empty");
    check_quotable_path(command, path, "the program path");
  }
  if (is_plain_path(path, false)) return path;
  return "\"" + path + "\"";
}

bool masked(const Arg& arg, Mode mode) { return mode == Mode::display && arg.secret; }

std::string arg_text(const Arg& arg, Mode mode) {
  return mode == Mode::display ? printable(arg.text) : arg.text;
}

std::string render_program(const Command& command, Mode mode) {
  std::string line = program_token(command, mode);
  for (const Arg& arg : command.args) {
    line += ' ';
    line +=
        masked(arg, mode) ? std::string(kSecretMask) : cmd_escape(argv_quote(arg_text(arg, mode)));
  }
  return line;
}

// Built-ins (del, type, dir, chcp, cd) split their arguments themselves on spaces
// outside literal quotes; they never see CommandLineToArgvW. A path needing it is put
// in quotes, and the quotes, like every metacharacter, are caret-escaped.
bool is_lookup_of_one_name(const Command& command) {
  if (command.args.size() != 1 || command.args[0].text.empty()) return false;
  for (char c : command.args[0].text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

std::string render_builtin(const Command& command, Mode mode) {
  if (mode == Mode::execute && !is_plain_path(command.program, false)) {
    refuse(command, "a cmd built-in's name must be a plain word");
  }
  // `set NAME=value` would change the node's environment: `set` only ever looks up.
  if (mode == Mode::execute && command.program == "set" && !is_lookup_of_one_name(command))
    refuse(command, "`set` takes exactly one variable name (letters, digits, '_')");
  std::string line = command.program;
  for (std::size_t i = 0; i < command.args.size(); ++i) {
    std::string text = arg_text(command.args[i], mode);
    if (mode == Mode::execute && text.find('"') != std::string::npos) {
      refuse(command, "argument " + std::to_string(i + 1) + " contains '\"'");
    }
    line += ' ';
    if (masked(command.args[i], mode)) {
      line += kSecretMask;
    } else {
      line += cmd_escape(is_plain_path(text, true) ? text : "\"" + text + "\"");
    }
  }
  return line;
}

// `if` parses its condition itself in cmd's step 2, so the path sits in REAL quotes.
std::string render_if_exist(const Command& command, Mode mode) {
  if (command.args.size() != 1) {
    if (mode == Mode::execute) refuse(command, "`if exist` takes exactly one path");
    return "if exist (?)";
  }
  std::string path =
      masked(command.args[0], mode) ? std::string(kSecretMask) : arg_text(command.args[0], mode);
  if (mode == Mode::execute) check_quotable_path(command, path, "the path");
  return "if exist \"" + path + "\" (echo yes) else (echo no)";
}

std::string render(const Command& command, Mode mode) {
  switch (command.kind) {
    case CommandKind::builtin:
      return render_builtin(command, mode);
    case CommandKind::if_exist:
      return render_if_exist(command, mode);
    case CommandKind::program:
      break;
  }
  std::string line = render_program(command, mode);
  if (line.front() == '"') line = "\"" + line + "\"";  // step 0: /c strips this pair
  return line;
}

}  // namespace

std::string render_cmd_line(const Command& command) {
  check_line_chars(command);
  std::string line = render(command, Mode::execute);
  std::size_t length = utf16_length(line);
  if (!fits_cmd_limits(length)) {
    std::string limit = length > kCmdMaxLineChars
                            ? "cmd.exe accepts at most " + std::to_string(kCmdMaxLineChars)
                            : "CreateProcess accepts at most " +
                                  std::to_string(kCreateProcessMaxChars) +
                                  " with OpenSSH's cmd.exe /c before it";
    refuse(command, "the command line would be " + std::to_string(length) +
                        " characters long (UTF-16 units, after quoting); " + limit +
                        ". Nothing was sent; shorten the names or values this command "
                        "carries");
  }
  return line;
}

std::string render_cmd_command(const Command& command) {
  check_line_chars(command);
  switch (command.kind) {
    case CommandKind::builtin:
      return render_builtin(command, Mode::execute);
    case CommandKind::if_exist:
      return render_if_exist(command, Mode::execute);
    case CommandKind::program:
      break;
  }
  return render_program(command, Mode::execute);
}

std::string display(const Command& command) { return render(command, Mode::display); }

std::string windows_argv_quote(std::string_view arg) { return argv_quote(arg); }

}  // namespace lkr
