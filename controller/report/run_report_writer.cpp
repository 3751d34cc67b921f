#include "controller/report/run_report_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "controller/report/run_report_html.h"
#include "controller/report/run_report_markdown.h"
#include "controller/report/run_report_model.h"

namespace lkr::report {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& path, const char* what, int error) {
  throw ReportError(path.string() + ": " + what + ": " + std::strerror(error));
}

void write_whole(const fs::path& path, const std::string& content) {
  fs::path temp = path;
  temp += ".tmp-" + std::to_string(::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) fail(temp, "cannot create", errno);
  for (size_t done = 0; done < content.size();) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      fail(temp, "cannot write", error);
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) fail(temp, "cannot write", errno);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    fail(path, "cannot rename into place", error);
  }
}

}  // namespace

ReportFiles write_run_report(const fs::path& run_dir, const fs::path& out_dir,
                             const std::optional<AuditKey>& key) {
  RunReport report = load_run_report(run_dir, key);
  fs::path dir = out_dir.empty() ? run_dir : out_dir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw ReportError(dir.string() + ": cannot create: " + ec.message());
  ReportFiles files{dir / "report.html", dir / "report.md"};
  write_whole(files.html, render_html(report));
  write_whole(files.markdown, render_markdown(report));
  return files;
}

}  // namespace lkr::report
