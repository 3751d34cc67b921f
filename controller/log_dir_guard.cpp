#include "controller/log_dir_guard.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace lkr {

namespace {

// The shell's single quotes, so the suggested command can be pasted whatever the path holds.
std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

[[noreturn]] void refuse(const std::filesystem::path& dir, const std::string& why,
                         const std::string& fix) {
  throw UnsafeLogDir("log folder " + dir.string() + " " + why +
                     ": another user could plant links there and have this run overwrite " +
                     "their target, or rewrite the audit trail; " + fix);
}

}  // namespace

void ensure_private_log_dir(const std::filesystem::path& given) {
  // "runs/" names the folder "runs": mkdir below must make that one, not its parent.
  std::filesystem::path log_dir = given.has_filename() ? given : given.parent_path();
  if (!log_dir.parent_path().empty()) std::filesystem::create_directories(log_dir.parent_path());
  if (::mkdir(log_dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw std::runtime_error("cannot create log folder " + log_dir.string() + ": " +
                             std::strerror(errno));
  struct stat st {};
  // stat, not lstat: a link to a private folder of ours is as safe as the folder itself.
  if (::stat(log_dir.c_str(), &st) != 0)
    throw std::runtime_error("cannot read log folder " + log_dir.string() + ": " +
                             std::strerror(errno));
  std::string quoted = shell_quoted(log_dir.string());
  if (!S_ISDIR(st.st_mode))
    throw UnsafeLogDir("log folder " + log_dir.string() +
                       " is not a directory; pass --log-dir a folder");
  if (st.st_uid != ::geteuid())
    refuse(log_dir,
           "is owned by uid " + std::to_string(st.st_uid) + ", not by this user (uid " +
               std::to_string(::geteuid()) + ")",
           "take it over with: chown " + std::to_string(::geteuid()) + " " + quoted +
               " (or pass --log-dir a folder of your own)");
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    refuse(log_dir,
           std::string("is writable by ") +
               ((st.st_mode & S_IWOTH) != 0 ? "other users" : "its group") + " (mode " + mode + ")",
           "fix it with: chmod go-w " + quoted);
  }
}

}  // namespace lkr
