// Commands for nodes whose shell is PowerShell (OpenSSH's DefaultShell set to
// powershell.exe, inventory `ansible_shell_type: powershell`): the only code that turns
// a Command into a line for such a node. Like Ansible's PowerShell shell plugin, the
// line starts a fresh powershell.exe with the script in -EncodedCommand (base64 of its
// UTF-16LE text), so the outer shell sees only [A-Za-z0-9+/= -] and nothing in the
// script can be read as syntax by whichever shell receives the line (PowerShell over
// SSH, cmd.exe over WinRM).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "transports/command.h"

namespace lkr {

// What every PowerShell line starts with; the base64 script follows.
inline constexpr std::string_view kPowershellLinePrefix =
    "powershell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand ";

// The longest `<shell path> -c ` OpenSSH (or the outer PowerShell, starting the inner
// powershell.exe by its full path) can put before the line: a quoted path of up to
// MAX_PATH (260) characters and " -c ". CreateProcess's kCreateProcessMaxChars
// (cmd_quoting.h) bounds prefix + line + NUL.
inline constexpr std::size_t kPowershellProcessPrefixMaxChars = 2 + 260 + 4;

// The PowerShell script (UTF-8) that runs `command`, before encoding. Programs and the
// built-ins that are programs on Windows (hostname, chcp) start through
// System.Diagnostics.ProcessStartInfo with the CommandLineToArgvW-quoted argument
// string; `if exist`, `del` and `type` become Test-Path, Remove-Item and a raw byte
// copy. Throws std::invalid_argument (naming the program and the argument's position,
// never its value) for NUL/CR/LF, invalid UTF-8, `"` in a program path, and built-ins
// or switches that have no PowerShell rendering here.
std::string powershell_script(const Command& command);

// Several commands in one script (command_batch.h), each followed by the batch's
// markers: `NONCE I CODE` CR LF on stdout and `NONCE I` CR LF on stderr, CODE being the
// command's exit code. Each command is run in `try { $c = & { ... } } catch { ... }`: a
// terminating error (a program that cannot start) is printed on stderr and counts as exit
// code 1, and the next command still runs. `nonce`: letters and digits only. Throws
// std::invalid_argument as powershell_script does; the caller checks the line's length.
std::string powershell_batch_script(const std::vector<Command>& commands, const std::string& nonce);
// kPowershellLinePrefix + base64(UTF-16LE(script)), unchecked: the caller checks the length
// against kPowershellProcessPrefixMaxChars and kCreateProcessMaxChars.
std::string encode_powershell_line(const std::string& script);

// kPowershellLinePrefix + base64(UTF-16LE(powershell_script(command))). Throws
// std::invalid_argument as powershell_script does, and when the whole process command
// line would exceed CreateProcess's limit: checked here, before anything is sent.
std::string render_powershell_line(const Command& command);

}  // namespace lkr
