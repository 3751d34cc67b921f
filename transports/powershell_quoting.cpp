#include "transports/powershell_quoting.h"

#include <cctype>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

#include "transports/base64.h"
#include "transports/cmd_quoting.h"
#include "transports/line_chars.h"
#include "transports/unicode_text.h"

// How PowerShell reads what we emit (Microsoft, about_Quoting_Rules and about_Parsing,
// learn.microsoft.com/powershell/module/microsoft.powershell.core/about/):
//  - Every value we pass (paths, the argument string) sits in a single-quoted string:
//    "the value of a single-quoted string is passed exactly as you type it"; no `$`
//    expansion, no backtick escapes, and `;` `&` `|` are text. The only special
//    characters are the single quotes themselves, and PowerShell's tokenizer counts
//    four typographic marks as single quotes too (U+2018, U+2019, U+201A, U+201B): any
//    of the five ends the string unless another of them follows, in which case the
//    second is kept as text. We double each of the five, so each comes back as itself.
//  - Programs are NOT started with `& 'program' 'arg'`: Windows PowerShell 5.1 builds
//    the native command line itself and drops empty arguments, and passes embedded `"`
//    and trailing backslashes without CommandLineToArgvW quoting (about_Parsing,
//    "Passing arguments that contain quote characters"; fixed only in PowerShell 7.3 by
//    $PSNativeCommandArgumentPassing). ProcessStartInfo.Arguments is handed to
//    CreateProcess as written, so it carries exactly the windows_argv_quote'd string the
//    program's CommandLineToArgvW splits back into the intended argv. UseShellExecute is
//    off and nothing is redirected, so the child writes its raw code-page bytes straight
//    to the SSH channel and the product's one decoder (codepage.h) reads them, as with
//    cmd. `exit $p.ExitCode` makes the program's exit code powershell.exe's.
//  - $ErrorActionPreference = 'Stop' makes every error terminating: a program that
//    cannot be started or a Remove-Item that fails ends the script with exit code 1
//    instead of running on (and `exit $null` would have said 0).
namespace lkr {
namespace {

constexpr std::string_view kScriptStart = "$ErrorActionPreference = 'Stop'; ";
constexpr std::string_view kUtf16FileToConsole =
    "if ($b.Length -ge 2 -and $b[0] -eq 0xFF -and $b[1] -eq 0xFE) { $b = "
    "[Console]::OutputEncoding.GetBytes([System.Text.Encoding]::Unicode.GetString($b, 2, "
    "$b.Length - 2)) }; ";

[[noreturn]] void refuse(const Command& command, const std::string& why) {
  std::string name;
  for (char c : command.program) name += (c == '\0' || c == '\r' || c == '\n') ? '?' : c;
  throw std::invalid_argument("cannot build a PowerShell command for \"" + name + "\": " + why);
}

bool is_single_quote(char32_t c) {
  return c == U'\'' || c == 0x2018 || c == 0x2019 || c == 0x201A || c == 0x201B;
}

// A PowerShell single-quoted string literal holding exactly `text` (see above).
std::string quoted(const Command& command, std::string_view text, const std::string& what) {
  if (const char* bad = forbidden_char_name(text)) refuse(command, what + " contains " + bad);
  auto cps = utf8_code_points(text);
  if (!cps) refuse(command, what + " is not valid UTF-8");
  std::string out = "'";
  for (char32_t cp : *cps) {
    append_utf8(out, cp);
    if (is_single_quote(cp)) append_utf8(out, cp);
  }
  return out + "'";
}

// How a script part ends: a whole script exits with the program's code; a part of a
// batch (command_batch.h) hands its code on as its value.
enum class Part { whole, batched };

std::string start_process(const Command& command, const std::string& file,
                          Part part = Part::whole) {
  if (file.empty()) refuse(command, "the program name is empty");
  if (file.find('"') != std::string::npos) refuse(command, "the program path contains '\"'");
  std::string arguments;
  for (std::size_t i = 0; i < command.args.size(); ++i) {
    // Checked one by one so the error names the argument's position.
    quoted(command, command.args[i].text, "argument " + std::to_string(i + 1));
    if (i > 0) arguments += ' ';
    arguments += windows_argv_quote(command.args[i].text);
  }
  return "$i = New-Object System.Diagnostics.ProcessStartInfo; $i.FileName = " +
         quoted(command, file, "the program path") +
         "; $i.Arguments = " + quoted(command, arguments, "the arguments") +
         "; $i.UseShellExecute = $false; $p = [System.Diagnostics.Process]::Start($i); " +
         (part == Part::whole ? "$p.WaitForExit(); exit $p.ExitCode"
                              : "$p.WaitForExit(); $p.ExitCode");
}

// The one path a `del`, `type` or `if exist` acts on; del's /q and /f change nothing
// here (Remove-Item never prompts, and -Force removes read-only files as /f does).
std::string only_path(const Command& command, bool allow_del_switches) {
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < command.args.size(); ++i) {
    const std::string& a = command.args[i].text;
    if (allow_del_switches && (a == "/q" || a == "/Q" || a == "/f" || a == "/F")) continue;
    if (!a.empty() && a[0] == '/')
      refuse(command, "argument " + std::to_string(i + 1) + " is a switch with no PowerShell form");
    paths.push_back(a);
  }
  if (paths.size() != 1) refuse(command, "exactly one path is needed");
  return quoted(command, paths[0], "the path");
}

// A name `set` can look up with no quoting and no wildcard: letters, digits, '_'.
bool is_variable_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

std::string builtin_script(const Command& command) {
  const std::string& name = command.program;
  if (name == "hostname") return start_process(command, "hostname.exe");
  if (name == "chcp") return start_process(command, "chcp.com");
  if (name == "del") return "Remove-Item -LiteralPath " + only_path(command, true) + " -Force";
  // As cmd's `type`: bytes go out as they are, except a UTF-16LE file (BOM FF FE, what
  // `reg export` writes), which becomes text in the console's code page.
  if (name == "type")
    return "$b = [System.IO.File]::ReadAllBytes(" + only_path(command, false) + "); " +
           std::string(kUtf16FileToConsole) +
           "$o = [Console]::OpenStandardOutput(); $o.Write($b, 0, $b.Length); $o.Flush()";
  // As cmd's `set PREFIX`: NAME=value for each variable whose name starts with PREFIX
  // (case-insensitive); nothing when none (cmd would say "not defined" and exit 1).
  if (name == "set" && command.args.size() == 1 && is_variable_name(command.args[0].text))
    return "Get-ChildItem Env: | Where-Object Name -like " +
           quoted(command, command.args[0].text + "*", "the variable name") +
           " | ForEach-Object { $_.Name + '=' + $_.Value }";
  refuse(command, "this cmd built-in has no PowerShell rendering");
}

std::string body(const Command& command) {
  switch (command.kind) {
    case CommandKind::builtin:
      return builtin_script(command);
    case CommandKind::if_exist:
      // The same yes/no answer cmd's `(echo yes) else (echo no)` prints (parse_if_exist).
      return "if (Test-Path -LiteralPath " + only_path(command, false) +
             ") { 'yes' } else { 'no' }";
    case CommandKind::program:
      break;
  }
  return start_process(command, command.program);
}

// A command's part of a batch script: what it prints goes straight to the console
// streams, in order with the markers around it, and its value is its exit code (0 where
// cmd's built-in would say 0; a terminating error is caught by the batch and is 1).
std::string batched_body(const Command& command) {
  const std::string& name = command.program;
  switch (command.kind) {
    case CommandKind::if_exist:
      return "if (Test-Path -LiteralPath " + only_path(command, false) +
             ") { [Console]::Out.Write(\"yes`r`n\") } else { [Console]::Out.Write(\"no`r`n\") }; 0";
    case CommandKind::builtin:
      if (name == "hostname") return start_process(command, "hostname.exe", Part::batched);
      if (name == "chcp") return start_process(command, "chcp.com", Part::batched);
      if (name == "set" && command.args.size() == 1 && is_variable_name(command.args[0].text))
        return "Get-ChildItem Env: | Where-Object Name -like " +
               quoted(command, command.args[0].text + "*", "the variable name") +
               " | ForEach-Object { [Console]::Out.Write($_.Name + '=' + $_.Value + \"`r`n\") }; 0";
      return builtin_script(command) + "; 0";  // del, type: they print through the stream
    case CommandKind::program:
      break;
  }
  return start_process(command, command.program, Part::batched);
}

}  // namespace

std::string powershell_batch_script(const std::vector<Command>& commands,
                                    const std::string& nonce) {
  for (char c : nonce)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      throw std::invalid_argument("a batch marker must be letters and digits");
  std::string script = std::string(kScriptStart) + "$m = '" + nonce + "'; ";
  for (std::size_t i = 0; i < commands.size(); ++i) {
    std::string n = std::to_string(i);
    script += "try { $c = & { " + batched_body(commands[i]) +
              " } } catch { [Console]::Error.WriteLine($_.ToString()); $c = 1 }; "
              "[Console]::Out.Write($m + ' " +
              n + " ' + $c + \"`r`n\"); [Console]::Error.Write($m + ' " + n + "' + \"`r`n\"); ";
  }
  return script;
}

std::string encode_powershell_line(const std::string& script) {
  return std::string(kPowershellLinePrefix) +
         base64_encode(utf16le_from_code_points(*utf8_code_points(script)));
}

std::string powershell_script(const Command& command) {
  return std::string(kScriptStart) + body(command);
}

std::string render_powershell_line(const Command& command) {
  std::string script = powershell_script(command);
  std::string line = std::string(kPowershellLinePrefix) +
                     base64_encode(utf16le_from_code_points(*utf8_code_points(script)));
  if (kPowershellProcessPrefixMaxChars + line.size() + 1 > kCreateProcessMaxChars) {
    refuse(command, "the PowerShell command line would be " + std::to_string(line.size()) +
                        " characters long (the script base64-encoded as UTF-16LE); "
                        "CreateProcess accepts at most " +
                        std::to_string(kCreateProcessMaxChars) +
                        " with the shell's path before it" +
                        ". Nothing was sent; shorten the names or values this command carries");
  }
  return line;
}

}  // namespace lkr
