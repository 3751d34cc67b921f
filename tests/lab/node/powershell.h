// The node's PowerShell, for nodes whose default shell is powershell.exe (LAB.md
// "default_shell"). It emulates exactly the lines lkrecover's PowerShell renderer
// (transports/powershell_quoting.h) emits and refuses everything else with a
// PowerShell-style error and exit code 1, so the lab can never quietly run something
// a real PowerShell would read differently.
//
// Accepted: `powershell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted
// -EncodedCommand <base64>` (names and switches case-insensitive, as PowerShell's are),
// the base64 holding the UTF-16LE text of one of these scripts, where '…' is a
// single-quoted string (about_Quoting_Rules: any of ' U+2018 U+2019 U+201A U+201B, when
// doubled, is one literal quote; nothing else is special inside):
//   $ErrorActionPreference = 'Stop'; $i = New-Object System.Diagnostics.ProcessStartInfo;
//     $i.FileName = '…'; $i.Arguments = '…'; $i.UseShellExecute = $false;
//     $p = [System.Diagnostics.Process]::Start($i); $p.WaitForExit(); exit $p.ExitCode
//   $ErrorActionPreference = 'Stop'; if (Test-Path -LiteralPath '…') { 'yes' } else { 'no' }
//   $ErrorActionPreference = 'Stop'; Remove-Item -LiteralPath '…' -Force
//   $ErrorActionPreference = 'Stop'; $b = [System.IO.File]::ReadAllBytes('…'); <UTF-16
//     file to console code page>; $o = [Console]::OpenStandardOutput(); ...
//   $ErrorActionPreference = 'Stop'; Get-ChildItem Env: | Where-Object Name -like '…' |
//     ForEach-Object { $_.Name + '=' + $_.Value }           (cmd's `set PREFIX`)
// and batches (transports/command_batch.h, powershell_batch_script), one or more parts:
//   $ErrorActionPreference = 'Stop'; $m = 'NONCE'; then for part I = 0, 1, ...
//   try { $c = & { BODY } } catch { [Console]::Error.WriteLine($_.ToString()); $c = 1 };
//     [Console]::Out.Write($m + ' I ' + $c + "`r`n"); [Console]::Error.Write($m + ' I' +
//     "`r`n");
// where NONCE is letters and digits and BODY one of
//   <the ProcessStartInfo lines above>; $p.WaitForExit(); $p.ExitCode
//   if (Test-Path -LiteralPath '…') { [Console]::Out.Write("yes`r`n") } else {
//     [Console]::Out.Write("no`r`n") }; 0
//   Remove-Item -LiteralPath '…' -Force; 0
//   <the ReadAllBytes lines above>; 0
//   Get-ChildItem Env: | Where-Object Name -like '…' | ForEach-Object {
//     [Console]::Out.Write($_.Name + '=' + $_.Value + "`r`n") }; 0
// Each part runs whatever the one before did; a terminating error (a program that cannot
// start, a Remove-Item that fails) is printed on stderr as $_.ToString() and makes $c 1.
// The node's latency_ms is waited once per part (the line's own wait is the first's).
// Programs run with the argv CommandLineToArgvW (argv_split.h) gives for
// `"FileName" Arguments`, the command line .NET's Process.Start passes to CreateProcess.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/lab/node/command_context.h"

namespace lab {

// Runs session.raw_line as the node's PowerShell would; returns powershell.exe's exit
// code. The journal's command_line is what the started program was given (its command
// line), or the decoded script for a cmdlet; faults match that text.
int run_powershell_line(LineSession& session);

// One decoded, recognised script: which form and its string values (without the fixed
// 'Stop', 'yes', 'no'). nullopt when the script is not one of the forms above.
struct PowershellScript {
  enum class Form { start_process, test_path, remove_item, read_bytes, environment } form;
  // start_process: FileName, Arguments; environment: the -like pattern; others: the path
  std::vector<std::string> values;
};
std::optional<PowershellScript> parse_powershell_script(const std::string& utf8_script);

// A recognised batch script: its marker (NONCE) and its parts, in order; nullopt when the
// script is not a batch of the forms above, numbered 0, 1, ... as the renderer numbers them.
struct PowershellBatch {
  std::string marker;
  std::vector<PowershellScript> parts;
};
std::optional<PowershellBatch> parse_powershell_batch(const std::string& utf8_script);

// The script inside an accepted outer line (UTF-8), or nullopt when the line is not
// `powershell <the switches> -EncodedCommand <base64 of UTF-16LE>`.
std::optional<std::string> decode_powershell_line(const std::string& line);

}  // namespace lab
