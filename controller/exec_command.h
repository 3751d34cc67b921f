// `lkrecover exec -- PROGRAM ARGS...`: one program on the selected hosts, as
// `ansible -m win_command` runs one: through each host's own connection, quoted as one
// Command (each argument reaches the program as given), audited like any change, and
// reported per host as `HOST | CHANGED | rc=0 >>` and its output.
#pragma once

#include <ostream>
#include <vector>

#include "controller/cli_options.h"
#include "controller/cluster_recovery.h"
#include "controller/console.h"
#include "controller/event_sink.h"
#include "controller/orchestrator.h"
#include "controller/run_summary.h"

namespace lkr {

// Asks once for every host (unless --yes): lkrecover changes nothing itself, but the
// program may. False when the operator did not say yes (or there is no terminal).
bool exec_confirmed(const CliOptions& o, const std::vector<Cluster>& clusters,
                    const ConfirmFn& confirm);

// Runs o.exec_argv on every host of `clusters` (a host in two clusters once), in parallel
// up to --forks, and writes each host's block to `out` in inventory order. The summary's
// exit code is Ansible's: 2 when a program returned non-zero, 4 when a host was unreachable.
RunSummary exec_on_hosts(const CliOptions& o, const std::vector<Cluster>& clusters, EventSink& sink,
                         Console& console, const TransportFactory& make_transport,
                         std::ostream& out);

}  // namespace lkr
