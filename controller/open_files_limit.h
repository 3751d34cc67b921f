// Every host keeps its connection (a socket) open for the whole run: at a few hundred
// hosts the usual soft limit of 1024 open files is within reach, and the host past it
// would fail to connect for a reason no node has. The soft limit is raised to the hard
// one at start (nothing here uses select(), so descriptors past 1024 are safe).
#pragma once

#include <cstddef>
#include <string>

namespace lkr {

struct OpenFilesLimit {
  unsigned long long soft = 0, hard = 0;  // after the raise
};

// Raises RLIMIT_NOFILE's soft limit to its hard limit (or the kernel's nr_open when the
// hard limit is unlimited); best effort: on failure the limit stays as it was.
OpenFilesLimit raise_open_files_limit();

// A warning when `hosts` connections (and the run's own files) may not fit under the
// soft limit; "" when they do.
std::string open_files_shortfall(const OpenFilesLimit& limit, std::size_t hosts);

}  // namespace lkr
