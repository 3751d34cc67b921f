// Each subcommand's own help: its synopsis, what it does, the options that apply to it
// (taken from the one option table, so a help text never drifts from what is parsed),
// and an example. `lkrecover COMMAND --help` and `lkrecover help COMMAND` print it.
#pragma once

#include <boost/program_options/options_description.hpp>
#include <optional>
#include <string>
#include <vector>

namespace lkr {

// The subcommands, as typed: what a mistyped one is compared with.
const std::vector<std::string>& command_names();

// The help of `command` ("audit" is `audit verify`); nullopt for an unknown command.
// `all` is every option; only those that apply to the command are listed.
std::optional<std::string> command_help(const std::string& command,
                                        const boost::program_options::options_description& all);

}  // namespace lkr
