// The programs installed on a simulated node and the folders of a fresh drive C:.
// Programs are virtual (no stub files under C:, so a dump lists only real data files),
// but they live at the paths a real installation puts them, and cmd resolves them there.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/lab/node/node_state.h"

namespace lab {

struct InstalledProgram {
  std::string windows_path;  // "C:\LK\Bin\eqv_list.exe"
  std::string name;          // "eqv_list": what the emulator runs
};

std::vector<InstalledProgram> installed_programs(const NodeState& s);

// Folders create_node makes: C:\Windows\Temp, %LKROOT%\Bin, %ExtMirrBase%, the home, ...
std::vector<std::string> standard_folders(const NodeState& s);

// Where an OpenSSH session starts on Windows: the user's profile folder.
std::string home_folder(const NodeState& s);

// The installed program at exactly this Windows path (case-insensitive), if any.
std::optional<InstalledProgram> program_at(const NodeState& s, const std::string& windows_path);

// Whether an absolute Windows path exists on the node: a real file or folder under its
// C:, or an installed program (`if exist "%ExtMirrBase%\emcmd.exe"`, Test-Path).
bool exists_on_node(const std::string& node_dir, const NodeState& s,
                    const std::string& windows_path);

}  // namespace lab
