#include "controller/open_files_limit.h"

#include <sys/resource.h>

#include <fstream>

namespace lkr {
namespace {

// Descriptors the run holds besides its connections: the audit trail, the lock, the
// terminal, libraries' own; generous, as running out costs a host.
constexpr unsigned long long kOwnFiles = 64;

// The most a process may ask for: setrlimit refuses more than /proc/sys/fs/nr_open.
unsigned long long kernel_ceiling() {
  unsigned long long n = 0;
  std::ifstream in("/proc/sys/fs/nr_open");
  if (!(in >> n) || n == 0) n = 1u << 20;  // the kernel's default
  return n;
}

}  // namespace

OpenFilesLimit raise_open_files_limit() {
  rlimit now{};
  if (::getrlimit(RLIMIT_NOFILE, &now) != 0) return {};
  rlim_t wanted = now.rlim_max == RLIM_INFINITY ? kernel_ceiling() : now.rlim_max;
  if (now.rlim_cur != RLIM_INFINITY && now.rlim_cur < wanted) {
    rlimit raised{wanted, now.rlim_max};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) now.rlim_cur = wanted;
  }
  return {now.rlim_cur, now.rlim_max};
}

std::string open_files_shortfall(const OpenFilesLimit& limit, std::size_t hosts) {
  unsigned long long needed = hosts + kOwnFiles;
  if (limit.soft == 0 || limit.soft == RLIM_INFINITY || needed <= limit.soft) return "";
  return "this run connects to " + std::to_string(hosts) + " hosts, but at most " +
         std::to_string(limit.soft) +
         " files may be open at once (ulimit -n, hard limit included): hosts past it cannot "
         "connect; raise the hard limit (ulimit -Hn, limits.conf, LimitNOFILE=) or split the "
         "run with --limit";
}

}  // namespace lkr
