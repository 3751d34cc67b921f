// What an Ansible user types out of habit (`--check`, `-b`, `-u admin`, `-m win_command`)
// means something else, or nothing, here: each is refused with what to do instead, before
// it can be mistaken for one of lkrecover's own options or be silently ignored.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lkr {

// The advice for the first Ansible habit among `args` (the words before `--`), or nullopt.
std::optional<std::string> ansible_reflex_advice(const std::vector<std::string>& args);

}  // namespace lkr
