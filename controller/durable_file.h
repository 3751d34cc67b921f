// Writes that survive a crash or a power cut at any moment: what the audit trail and the
// open checklists need so that a file is either the old one or the new one, never half.
// Every failure throws std::runtime_error naming the path and the system's reason.
#pragma once

#include <filesystem>
#include <string>

namespace lkr {

// Writes all of `bytes` to `fd` (retrying short writes and EINTR); `path` names the file
// in the error.
void write_all(int fd, const std::string& bytes, const std::filesystem::path& path);

// tmp + fsync + rename + fsync(dir): a reader sees the old file or the new, never half.
// The file is created mode 0600, and a symlink planted at the temporary name is refused.
void write_file_atomically(const std::filesystem::path& path, const std::string& bytes);

// mkdir mode 0700; an existing directory is fine.
void make_private_dir(const std::filesystem::path& path);

// Throws std::runtime_error("audit trail: <what> <path>: <strerror(errno)>").
[[noreturn]] void fail_errno(const std::string& what, const std::filesystem::path& path);

// fsync of a file or directory opened with `flags` (O_RDONLY | O_DIRECTORY for a folder).
void fsync_path(const std::filesystem::path& path, int flags);

}  // namespace lkr
