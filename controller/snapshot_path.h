// File names in the audit folder for names that come from nodes and inventories.
#pragma once

#include <string>

namespace lkr {

// A file name for any cluster, host or snapshot name: letters, digits, non-ASCII UTF-8,
// space, '-', '_' and '.' (not leading) stay as they are; every other byte becomes %XX, so
// the mapping is readable and one-to-one. Empty becomes "%"; over-long names are cut and
// end with '~' and a hash of the whole name ('~' is otherwise always escaped).
std::string snapshot_path_component(const std::string& name);

}  // namespace lkr
