// SHA-256 in lowercase hex, for run.json's record of which inventory a run used.
#pragma once

#include <string>

namespace lkr {

std::string sha256_hex(const std::string& bytes);

}  // namespace lkr
