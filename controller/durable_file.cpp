#include "controller/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lkr {
void fail_errno(const std::string& what, const std::filesystem::path& path) {
  throw std::runtime_error("audit trail: " + what + " " + path.string() + ": " +
                           std::strerror(errno));
}

void write_all(int fd, const std::string& bytes, const std::filesystem::path& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno("cannot write", path);
    done += static_cast<size_t>(n);
  }
}

void fsync_path(const std::filesystem::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) fail_errno("cannot open", path);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail_errno("cannot fsync", path);
}

void write_file_atomically(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) fail_errno("cannot create", tmp);
  write_all(fd, bytes, tmp);
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail_errno("cannot fsync", tmp);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail_errno("cannot rename to", path);
  fsync_path(path.parent_path(), O_RDONLY | O_DIRECTORY);
}

void make_private_dir(const std::filesystem::path& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) fail_errno("cannot create", path);
}

}  // namespace lkr
