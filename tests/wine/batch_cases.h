// Several commands in one cmd.exe line, as the product batches its reads
// (transports/command_batch.h), under Wine's cmd.exe and in the lab's emulator: the line's
// output split back into each command's exit code, stdout and stderr, compared with the
// same command run alone and across the two.
#pragma once

#include "tests/wine/wine_cmd.h"

namespace wine {

// Returns 0 when every comparison agrees (or differs only as DIVERGENCES.md documents),
// 1 otherwise.
int run_batch_cases(const Prefix& prefix);

}  // namespace wine
