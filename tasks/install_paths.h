// Where LifeKeeper and DataKeeper are installed on a node: read from the node's own
// %LKROOT%, %LKBIN% and %ExtMirrBase% (E3, E9), overridden by the inventory only where it
// sets lk_root / lk_bin / dk_extmirrbase; a difference between the two is reported.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "inventory/inventory.h"

namespace lkr::tasks {

struct InstallPaths {
  std::string lk_root, lk_bin, extmirrbase;  // extmirrbase empty: DataKeeper not seen
  std::vector<std::string> notices;          // inventory and node disagree, fallbacks
  std::string refusal;                       // non-empty: LifeKeeper's folder is unknown
};

// `env`: the node's variables, upper-cased names (parse_set_output of `set LK` and
// `set ExtMirrBase`).
InstallPaths resolve_install_paths(const Host& host, const std::map<std::string, std::string>& env);

// The folders where emcmd.exe is looked for, in order: %ExtMirrBase% (or the inventory's),
// then DataKeeper's other standard install folder (E9).
std::vector<std::string> emcmd_folders(const std::string& extmirrbase);

}  // namespace lkr::tasks
