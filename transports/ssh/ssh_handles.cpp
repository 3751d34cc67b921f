#include "transports/ssh/ssh_handles.h"

#include <mutex>

namespace lkr::ssh {

void ensure_libssh_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { ssh_init(); });
}

}  // namespace lkr::ssh
