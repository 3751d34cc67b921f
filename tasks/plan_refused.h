// Thrown by a step's plan() when the facts show that going on would break something
// that does not belong to the replaced system; the text says what and how to override.
#pragma once

#include <stdexcept>

namespace lkr::tasks {

struct PlanRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace lkr::tasks
