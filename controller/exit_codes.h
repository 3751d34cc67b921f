// Exit codes, as Ansible's (what an Ansible user's scripts already test for).
#pragma once

namespace lkr::exit_code {
inline constexpr int ok = 0;
inline constexpr int error = 1;        // the tool itself failed
inline constexpr int host_failed = 2;  // a step failed on some host
inline constexpr int unreachable = 4;  // some host could not be reached
inline constexpr int bad_input = 5;    // bad options or inventory
inline constexpr int interrupted = 99;
}  // namespace lkr::exit_code
