#include "controller/process_hygiene.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

extern char** environ;

namespace lkr {
namespace {

// The variable named by --password-env, as Boost's parser will read it (which also takes
// an unambiguous prefix, "--password VAR", and "--password-env=VAR"); empty when none.
std::string password_variable(int argc, char** argv) {
  constexpr std::string_view kOption = "--password-env";
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    std::string_view name = arg.substr(0, arg.find('='));
    if (name.size() < 4 || !kOption.starts_with(name)) continue;
    if (name.size() < arg.size()) return std::string(arg.substr(name.size() + 1));
    if (i + 1 < argc) return argv[i + 1];
  }
  return {};
}

// The entries "name=..." of the environment (a block may hold a name twice), each as the
// kernel laid it out at exec time; getenv answers with the first.
std::vector<char*> environment_entries(const std::string& name) {
  std::vector<char*> found;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e)
    if (std::strncmp(*e, name.c_str(), name.size()) == 0 && (*e)[name.size()] == '=')
      found.push_back(*e);
  return found;
}

}  // namespace

ProcessHygiene::ProcessHygiene(int argc, char** argv) {
  // Neither a crash nor another process of this user may read the password out of memory.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);

  variable_ = password_variable(argc, argv);
  if (variable_.empty() || variable_.find('=') != std::string::npos) return;
  std::vector<char*> originals = environment_entries(variable_);
  if (originals.empty()) return;  // unset: the password source says so
  entry_.assign(originals[0], originals[0] + std::strlen(originals[0]) + 1);
  ::mlock(entry_.data(), entry_.size());  // best effort: never written to swap
  ::unsetenv(variable_.c_str());          // drops the pointers to the original block...
  for (char* original : originals)        // ...whose bytes /proc/PID/environ goes on showing
    ::explicit_bzero(original, std::strlen(original));
  ::putenv(entry_.data());
}

ProcessHygiene::~ProcessHygiene() {
  if (entry_.empty()) return;
  ::unsetenv(variable_.c_str());
  ::explicit_bzero(entry_.data(), entry_.size());
  ::munlock(entry_.data(), entry_.size());
}

}  // namespace lkr
