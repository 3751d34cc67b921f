// Builds each host's transport from the inventory and the command line.
#pragma once

#include <optional>
#include <string>

#include "controller/cli_options.h"
#include "controller/cluster_recovery.h"
#include "transports/secret_text.h"

namespace lkr {

// `password` (from --ask-pass / --password-env) wins over the inventory's ansible_password.
TransportFactory ssh_transport_factory(const CliOptions& options,
                                       std::optional<SecretText> password);

// Per host by ansible_connection: SSH, or WinRM (ansible_winrm_*). A cluster may mix both.
// The connection decides the shell its Commands are rendered for: SSH the inventory's
// ansible_shell_type, WinRM always cmd. WinRM settings that cannot work (Basic over
// plain http not allowed, certificate auth without its files) fail that host's connect
// with a message naming it.
TransportFactory host_transport_factory(const CliOptions& options,
                                        std::optional<SecretText> password);

}  // namespace lkr
