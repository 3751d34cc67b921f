#include "controller/ansible_reflexes.h"

namespace lkr {
namespace {

struct Reflex {
  const char* word;
  const char* advice;
};

const char* kCheck =
    "is Ansible's dry run: use `lkrecover check` (read-only: reads the facts and prints "
    "the plan, every command `run` would send)";
const char* kDiff =
    "is not needed: `lkrecover check` prints the plan, every command `run` would send and "
    "what it removes";
const char* kBecome =
    "does not apply: lkrecover has no privilege escalation on Windows nodes; the "
    "inventory's ansible_user must be a local administrator of each node";
const char* kUser =
    "is not read: set ansible_user in the inventory (per host, or in a group's vars), as "
    "Ansible reads it";
const char* kExtraVars =
    "is not read: lkrecover takes its variables from the inventory only (host vars, group "
    "vars, host_vars/ and group_vars/): put the value there";
const char* kModule =
    "is not needed: lkrecover has no modules; to run one program on hosts, use `lkrecover "
    "exec -i INVENTORY --limit PATTERN -- PROGRAM ARGS...`";

const Reflex kReflexes[] = {
    {"--check", kCheck}, {"-C", kCheck},
    {"--diff", kDiff},   {"-D", kDiff},
    {"-b", kBecome},     {"--become", kBecome},
    {"-u", kUser},       {"--user", kUser},
    {"-e", kExtraVars},  {"--extra-vars", kExtraVars},
    {"-m", kModule},     {"--module-name", kModule},
    {"-a", kModule},     {"--args", kModule},
};

// `--user=admin` is `--user admin`; short ones are matched whole (`-all` is not `-a`).
bool matches(const std::string& arg, const std::string& word) {
  if (arg == word) return true;
  return word.rfind("--", 0) == 0 && arg.rfind(word + "=", 0) == 0;
}

}  // namespace

std::optional<std::string> ansible_reflex_advice(const std::vector<std::string>& args) {
  for (const std::string& arg : args)
    for (const Reflex& r : kReflexes)
      if (matches(arg, r.word)) return "`" + std::string(r.word) + "` " + r.advice;
  return std::nullopt;
}

}  // namespace lkr
