// Where an SSH password comes from: --ask-pass (the terminal, no echo),
// --password-env VAR, or the inventory's ansible_password. Never from argv.
#pragma once

#include <optional>
#include <string>

#include "transports/secret_text.h"

namespace lkr {

// Returns the password given on the command line's terms (prompt / environment), or
// nullopt when neither --ask-pass nor --password-env was used. Throws CliError when the
// variable is unset or no terminal is there to ask.
std::optional<SecretText> password_from_options(bool ask_pass, const std::string& env_var);

}  // namespace lkr
