// The delay proxy's routes: each a loopback address and port it listens on, and the
// loopback address and port it forwards every accepted connection to.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace lab::delay_proxy {

class RouteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Route {
  std::string listen_address;
  int listen_port = 0;
  std::string target_address;
  int target_port = 0;
};

// Whether `address` is a dotted IPv4 address in 127.0.0.0/8.
bool is_loopback(const std::string& address);

// One route a line: "LISTEN_ADDRESS LISTEN_PORT TARGET_ADDRESS TARGET_PORT"; blank lines
// and lines starting with '#' are skipped. Only loopback addresses are accepted: the lab
// never puts anything on a real network. Errors name `label` and the line number.
std::vector<Route> parse_routes(const std::string& text, const std::string& label);

// The routes file's text for `routes` (what parse_routes reads back).
std::string routes_text(const std::vector<Route>& routes);

}  // namespace lab::delay_proxy
