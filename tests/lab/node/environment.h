// The node's environment as cmd's `set` and PowerShell's Env: drive list it. Every node
// holds LKROOT, LKBIN (= %LKROOT%\Bin, E3) and ExtMirrBase (E9): the product reads the
// install folders from the node (`set LK`, `set ExtMirrBase`) instead of assuming them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tests/lab/node/command_context.h"

namespace lab {

// The variables whose names match `wildcard` (case-insensitive `*`/`?`), sorted as the
// Windows environment block is: by name, case-insensitively.
std::vector<std::pair<std::string, std::string>> environment_matching(const NodeState& s,
                                                                      const std::string& wildcard);

// cmd's `set [PREFIX]`: NAME=value for every variable whose name starts with PREFIX;
// none: "Environment variable PREFIX not defined" on stderr, exit 1.
int cmd_set(CommandContext& c);

// PowerShell's `Get-ChildItem Env: | Where-Object Name -like PATTERN | ForEach-Object
// { $_.Name + '=' + $_.Value }`: argv {"Get-ChildItem", "Env:", PATTERN}; nothing, exit
// 0, when no name matches.
int ps_environment(CommandContext& c);

}  // namespace lab
