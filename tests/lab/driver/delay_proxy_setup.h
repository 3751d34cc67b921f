// The lab's network delay (`lab up --rtt-ms R`): where lab-delay-proxy is, its routes
// file, its argv, and waiting until it listens. lab_up decides the ports.
#pragma once

#include <string>
#include <vector>

#include "tests/lab/delay_proxy/route.h"

namespace lab {

// lab-delay-proxy next to this executable, or $LAB_DELAY_PROXY. Throws when missing.
std::string find_lab_delay_proxy();

std::string delay_proxy_routes_path(const std::string& state_dir);
std::string delay_proxy_ready_path(const std::string& state_dir);
std::string delay_proxy_stderr_path(const std::string& state_dir);

// Writes STATE/delay_proxy.routes (what `lab-delay-proxy --routes` reads).
void write_delay_proxy_routes(const std::string& state_dir,
                              const std::vector<delay_proxy::Route>& routes);

std::vector<std::string> delay_proxy_argv(const std::string& binary, const std::string& state_dir,
                                          int rtt_ms);

// Until the proxy's ready file appears (every listener bound); throws with its stderr
// when it exits first or takes longer than `limit_seconds`.
void wait_for_delay_proxy(int pid, const std::string& state_dir, int limit_seconds);

}  // namespace lab
