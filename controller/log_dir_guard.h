// The log folder (--log-dir) holds the run lock and every run's audit trail. Anyone else who
// can write there can plant a symbolic link at lkrecover.lock or a run folder name and make
// a root run overwrite a file of their choice, or rewrite the trail: such a folder is
// refused, with the command that fixes it.
#pragma once

#include <filesystem>
#include <stdexcept>

namespace lkr {

struct UnsafeLogDir : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Creates `log_dir` (mode 0700; missing parents as create_directories makes them) when it is
// missing, then refuses it (UnsafeLogDir) when it is not a directory, is owned by another
// user than the effective one, or is writable by its group or by others.
void ensure_private_log_dir(const std::filesystem::path& log_dir);

}  // namespace lkr
