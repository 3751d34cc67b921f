#include "inventory/login_name.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace lkr {

std::string login_name() {
  for (const char* variable : {"LOGNAME", "USER"})
    if (const char* value = std::getenv(variable); value && *value) return value;
  if (const passwd* entry = getpwuid(geteuid())) return entry->pw_name;
  return "unknown";
}

}  // namespace lkr
