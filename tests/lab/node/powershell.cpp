#include "tests/lab/node/powershell.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/lab/node/codepage.h"
#include "tests/lab/node/environment.h"
#include "tests/lab/node/installed_programs.h"
#include "tests/lab/node/shell.h"
#include "tests/lab/node/text_util.h"

namespace lab {
namespace {

namespace fs = std::filesystem;

// The fixed text of each form, `@` standing for a single-quoted string.
const std::string kStart = "$ErrorActionPreference = @; ";
const std::string kLaunch =
    "$i = New-Object System.Diagnostics.ProcessStartInfo; $i.FileName = @; $i.Arguments = @; "
    "$i.UseShellExecute = $false; $p = [System.Diagnostics.Process]::Start($i); "
    "$p.WaitForExit()";
const std::string kStartProcess = kLaunch + "; exit $p.ExitCode";
const std::string kTestPath = "if (Test-Path -LiteralPath @) { @ } else { @ }";
const std::string kEnvironment =
    "Get-ChildItem Env: | Where-Object Name -like @ | ForEach-Object { $_.Name + @ + $_.Value }";
const std::string kRemoveItem = "Remove-Item -LiteralPath @ -Force";
const std::string kReadBytes =
    "$b = [System.IO.File]::ReadAllBytes(@); if ($b.Length -ge 2 -and $b[0] -eq 0xFF -and "
    "$b[1] -eq 0xFE) { $b = [Console]::OutputEncoding.GetBytes("
    "[System.Text.Encoding]::Unicode.GetString($b, 2, $b.Length - 2)) }; "
    "$o = [Console]::OpenStandardOutput(); $o.Write($b, 0, $b.Length); $o.Flush()";

// A batch (transports/command_batch.h): the marker, then per command its part in a try,
// and the two markers. A part writes its output itself and yields its exit code.
const std::string kBatchMarker = "$m = @; ";
const std::string kPartStart = "try { $c = & { ";
const std::string kPartEnd =
    " } } catch { [Console]::Error.WriteLine($_.ToString()); $c = 1 }; "
    "[Console]::Out.Write($m + @ + $c + \"`r`n\"); [Console]::Error.Write($m + @ + \"`r`n\"); ";
const std::string kStartProcessPart = kLaunch + "; $p.ExitCode";
const std::string kTestPathPart =
    "if (Test-Path -LiteralPath @) { [Console]::Out.Write(\"yes`r`n\") } else { "
    "[Console]::Out.Write(\"no`r`n\") }; 0";
const std::string kEnvironmentPart =
    "Get-ChildItem Env: | Where-Object Name -like @ | ForEach-Object { "
    "[Console]::Out.Write($_.Name + @ + $_.Value + \"`r`n\") }; 0";
const std::string kRemoveItemPart = kRemoveItem + "; 0";
const std::string kReadBytesPart = kReadBytes + "; 0";

// The UTF-8 length of the single-quote character starting at s[i] (0 if none): ' or
// U+2018..U+201B (E2 80 98..9B).
std::size_t quote_at(const std::string& s, std::size_t i) {
  if (s[i] == '\'') return 1;
  if (i + 2 < s.size() && s[i] == '\xE2' && s[i + 1] == '\x80' &&
      static_cast<unsigned char>(s[i + 2]) >= 0x98 && static_cast<unsigned char>(s[i + 2]) <= 0x9B)
    return 3;
  return 0;
}

// The script with every string literal replaced by `@`, and the literals' values;
// nullopt for an unterminated string.
std::optional<std::pair<std::string, std::vector<std::string>>> split_literals(
    const std::string& s) {
  std::string code;
  std::vector<std::string> values;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '@') return std::nullopt;  // would be confused with our placeholder
    std::size_t q = quote_at(s, i);
    if (q == 0) {
      code += s[i++];
      continue;
    }
    std::string value;
    for (i += q;;) {
      if (i >= s.size()) return std::nullopt;
      std::size_t end = quote_at(s, i);
      if (end == 0) {
        value += s[i++];
        continue;
      }
      std::size_t next = i + end < s.size() ? quote_at(s, i + end) : 0;
      if (next == 0) {
        i += end;
        break;
      }
      value += s.substr(i + end, next);  // the second of a doubled quote is the text
      i += end + next;
    }
    code += '@';
    values.push_back(value);
  }
  return std::make_pair(code, values);
}

std::optional<std::string> base64_decode(const std::string& text) {
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    unsigned n = 0;
    int pad = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      char c = text[i + k];
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        ++pad;
        n <<= 6;
        continue;
      }
      auto v = alphabet.find(c);
      if (v == std::string::npos || pad > 0) return std::nullopt;
      n = (n << 6) | static_cast<unsigned>(v);
    }
    out += static_cast<char>((n >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(n & 0xFF);
  }
  return out;
}

// PowerShell-style report of a script or line outside the subset; exit code 1.
int refuse(LineSession& s, const std::string& what) {
  s.terminal->write_err(to_console(
      what +
          "\n    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException"
          "\n    + FullyQualifiedErrorId : LabPowerShellSubset"
          "\n(the lab's PowerShell runs only the scripts lkrecover renders: "
          "tests/lab/node/powershell.h)\n",
      s.codepage));
  return 1;
}

std::optional<std::string> file_on_node(CommandContext& c, const std::string& path) {
  return host_path(c.session.node_dir, c.session.absolute(path));
}

int test_path(CommandContext& c) {
  bool exists = exists_on_node(c.session.node_dir, c.state(), c.session.absolute(c.argv.back()));
  c.out_line(exists ? "yes" : "no");
  return 0;
}

// `shown_as`: how the error is printed. Uncaught, PowerShell names the cmdlet before the
// message; a batch's catch prints $_.ToString(), the message alone.
int remove_item_reported(CommandContext& c, const std::string& shown_as) {
  const std::string& path = c.argv[2];
  auto host = file_on_node(c, path);
  if (!host || !fs::exists(*host)) {
    c.err_line(shown_as + "Cannot find path '" + path + "' because it does not exist.");
    return 1;
  }
  if (fs::is_directory(*host)) {  // would need -Recurse or a confirmation: not modelled
    c.err_line(shown_as + "the lab does not model removing folders ('" + path + "').");
    return 1;
  }
  fs::remove(*host);
  return 0;
}
int remove_item(CommandContext& c) { return remove_item_reported(c, "Remove-Item : "); }
int remove_item_caught(CommandContext& c) { return remove_item_reported(c, ""); }

int read_bytes(CommandContext& c) {
  const std::string& path = c.argv[1];
  auto host = file_on_node(c, path);
  if (!host || !fs::is_regular_file(*host)) {
    c.err_line(
        "Exception calling \"ReadAllBytes\" with \"1\" argument(s): \"Could not find file '" +
        path + "'.\"");
    return 1;
  }
  std::string bytes = read_file(*host);
  if (bytes.size() >= 2 && bytes[0] == '\xFF' && bytes[1] == '\xFE')
    bytes = encode(utf16le_to_utf8(std::string_view(bytes).substr(2)), c.session.codepage);
  c.out_bytes(bytes);
  return 0;
}

}  // namespace

std::optional<std::string> decode_powershell_line(const std::string& line) {
  std::vector<std::string> words;
  for (const auto& w : split_any(line, " "))
    if (!w.empty()) words.push_back(w);
  const std::vector<std::string> expected = {"-NoProfile", "-NonInteractive", "-ExecutionPolicy",
                                             "Unrestricted", "-EncodedCommand"};
  if (words.size() != expected.size() + 2) return std::nullopt;
  if (!iequals(words[0], "powershell") && !iequals(words[0], "powershell.exe")) return std::nullopt;
  for (std::size_t i = 0; i < expected.size(); ++i)
    if (!iequals(words[i + 1], expected[i])) return std::nullopt;
  auto bytes = base64_decode(words.back());
  if (!bytes || bytes->size() % 2 != 0) return std::nullopt;
  return utf16le_to_utf8(*bytes);
}

namespace {

using Form = PowershellScript::Form;

// A whole script's body (after kStart) as one of the forms.
std::optional<PowershellScript> script_form(const std::string& body,
                                            const std::vector<std::string>& rest) {
  if (body == kStartProcess && rest.size() == 2) return PowershellScript{Form::start_process, rest};
  if (body == kTestPath && rest.size() == 3 && rest[1] == "yes" && rest[2] == "no")
    return PowershellScript{Form::test_path, {rest[0]}};
  if (body == kRemoveItem && rest.size() == 1) return PowershellScript{Form::remove_item, rest};
  if (body == kReadBytes && rest.size() == 1) return PowershellScript{Form::read_bytes, rest};
  if (body == kEnvironment && rest.size() == 2 && rest[1] == "=")
    return PowershellScript{Form::environment, {rest[0]}};
  return std::nullopt;
}

// A batch part's body (inside `& { }`) as one of the forms.
std::optional<PowershellScript> part_form(const std::string& body,
                                          const std::vector<std::string>& values) {
  if (body == kStartProcessPart && values.size() == 2)
    return PowershellScript{Form::start_process, values};
  if (body == kTestPathPart && values.size() == 1) return PowershellScript{Form::test_path, values};
  if (body == kRemoveItemPart && values.size() == 1)
    return PowershellScript{Form::remove_item, values};
  if (body == kReadBytesPart && values.size() == 1)
    return PowershellScript{Form::read_bytes, values};
  if (body == kEnvironmentPart && values.size() == 2 && values[1] == "=")
    return PowershellScript{Form::environment, {values[0]}};
  return std::nullopt;
}

bool is_letters_and_digits(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  return true;
}

// The code and literals after `$ErrorActionPreference = 'Stop'; `, or nullopt.
std::optional<std::pair<std::string, std::vector<std::string>>> after_start(
    const std::string& utf8_script) {
  auto split = split_literals(utf8_script);
  if (!split) return std::nullopt;
  const auto& [code, values] = *split;
  if (code.compare(0, kStart.size(), kStart) != 0 || values.empty() || values[0] != "Stop")
    return std::nullopt;
  return std::make_pair(code.substr(kStart.size()),
                        std::vector<std::string>(values.begin() + 1, values.end()));
}

}  // namespace

std::optional<PowershellScript> parse_powershell_script(const std::string& utf8_script) {
  auto rest = after_start(utf8_script);
  if (!rest) return std::nullopt;
  return script_form(rest->first, rest->second);
}

std::optional<PowershellBatch> parse_powershell_batch(const std::string& utf8_script) {
  auto rest = after_start(utf8_script);
  if (!rest) return std::nullopt;
  const auto& [code, values] = *rest;
  if (code.compare(0, kBatchMarker.size(), kBatchMarker) != 0 || values.empty() ||
      !is_letters_and_digits(values[0]))
    return std::nullopt;
  PowershellBatch batch;
  batch.marker = values[0];
  std::size_t at = kBatchMarker.size(), next_value = 1;
  while (at < code.size()) {
    // Literals live in `values`, so the fixed text found here is never a path's.
    if (code.compare(at, kPartStart.size(), kPartStart) != 0) return std::nullopt;
    std::size_t body_start = at + kPartStart.size();
    std::size_t end = code.find(kPartEnd, body_start);
    if (end == std::string::npos) return std::nullopt;
    std::string body = code.substr(body_start, end - body_start);
    auto literals = static_cast<std::size_t>(std::count(body.begin(), body.end(), '@'));
    if (next_value + literals + 2 > values.size()) return std::nullopt;
    auto first = values.begin() + static_cast<std::ptrdiff_t>(next_value);
    auto part = part_form(body, std::vector<std::string>(first, first + literals));
    // The markers' literals carry the part's index, as the renderer numbers them.
    std::string n = std::to_string(batch.parts.size());
    if (!part || *(first + literals) != " " + n + " " || *(first + literals + 1) != " " + n)
      return std::nullopt;
    batch.parts.push_back(*part);
    next_value += literals + 2;
    at = end + kPartEnd.size();
  }
  if (batch.parts.empty() || next_value != values.size()) return std::nullopt;
  return batch;
}

namespace {

// Whether a form runs as a whole script or as a part of a batch, inside its try.
enum class Run { whole, caught };

void sleep_ms(int ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// Runs one form; returns its exit code: the program's, or 1 for an error (uncaught, it
// ends the script; caught, the batch prints it and counts it as 1), else 0.
int run_form(LineSession& s, const PowershellScript& parsed, Run run) {
  const std::vector<std::string>& v = parsed.values;
  switch (parsed.form) {
    case Form::start_process: {
      // .NET's Process.Start: `"FileName" Arguments` (the FileName quoted, one space).
      std::string command_line = "\"" + v[0] + "\"" + (v[1].empty() ? "" : " " + v[1]);
      s.raw_line = command_line;
      return start_process(s, command_line, [&] {
        s.terminal->write_err(to_console(
            "Exception calling \"Start\" with \"1\" argument(s): \"The system cannot find the "
            "file specified\"\n",
            s.codepage));
        return 1;
      });
    }
    case Form::test_path:
      return run_handler(s, test_path, "test-path", {"Test-Path", "-LiteralPath", v[0]});
    case Form::remove_item:
      return run_handler(s, run == Run::whole ? remove_item : remove_item_caught, "remove-item",
                         {"Remove-Item", "-LiteralPath", v[0], "-Force"});
    case Form::read_bytes:
      return run_handler(s, read_bytes, "readallbytes", {"ReadAllBytes", v[0]});
    case Form::environment:
      return run_handler(s, ps_environment, "get-childitem", {"Get-ChildItem", "Env:", v[0]});
  }
  return 1;
}

// Each part in turn, whatever the one before returned, each followed by its markers.
// The node's latency is waited per command started: the line's own wait (shell.h) was
// the first part's.
int run_batch(LineSession& s, const PowershellBatch& batch, const std::string& script) {
  for (std::size_t i = 0; i < batch.parts.size(); ++i) {
    if (i > 0) sleep_ms(s.state.latency_ms);
    s.raw_line = script;
    int code = run_form(s, batch.parts[i], Run::caught);
    std::string n = std::to_string(i);
    s.terminal->write_out(batch.marker + " " + n + " " + std::to_string(code) + "\r\n");
    s.terminal->write_err(batch.marker + " " + n + "\r\n");
  }
  return 0;  // the script's last statement succeeded
}

}  // namespace

int run_powershell_line(LineSession& s) {
  auto script = decode_powershell_line(s.raw_line);
  if (!script) {
    std::string first = s.raw_line.substr(0, s.raw_line.find(' '));
    return refuse(s, "The term '" + first +
                         "' with these arguments is not a powershell.exe -EncodedCommand line "
                         "lkrecover sends.");
  }
  if (auto batch = parse_powershell_batch(*script)) return run_batch(s, *batch, *script);
  auto parsed = parse_powershell_script(*script);
  if (!parsed)
    return refuse(s, "At line:1 char:1\n+ " + script->substr(0, 80) +
                         "\nThis script is outside the emulated subset.");
  s.raw_line = *script;
  return run_form(s, *parsed, Run::whole);
}

}  // namespace lab
