// The built-ins and reg commands the product emits, run on the same inputs under Wine's
// cmd.exe and the lab's emulator; output, exit code and effect compared.
#pragma once

#include "tests/wine/wine_cmd.h"

namespace wine {

// Returns 0 when every case agrees (or differs only as DIVERGENCES.md documents), 1 otherwise.
int run_builtin_cases(const Prefix& prefix);

}  // namespace wine
