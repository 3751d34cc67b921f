#include "tests/lab/delay_proxy/route.h"

#include <arpa/inet.h>

#include <set>
#include <sstream>

namespace lab::delay_proxy {
namespace {

int parse_port(const std::string& text) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos)
    return -1;
  int port = std::stoi(text);
  return port >= 1 && port <= 65535 ? port : -1;
}

Route parse_line(const std::string& line, const std::string& where) {
  std::istringstream fields(line);
  std::string listen_address, listen_port, target_address, target_port, extra;
  if (!(fields >> listen_address >> listen_port >> target_address >> target_port) ||
      (fields >> extra))
    throw RouteError(where + ": expected LISTEN_ADDRESS LISTEN_PORT TARGET_ADDRESS TARGET_PORT");
  for (const auto* a : {&listen_address, &target_address})
    if (!is_loopback(*a))
      throw RouteError(where + ": " + *a + " is not a loopback address (127.0.0.0/8)");
  Route r{listen_address, parse_port(listen_port), target_address, parse_port(target_port)};
  if (r.listen_port < 0 || r.target_port < 0)
    throw RouteError(where + ": a port is a number from 1 to 65535");
  return r;
}

}  // namespace

bool is_loopback(const std::string& address) {
  in_addr a{};
  return inet_pton(AF_INET, address.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

std::vector<Route> parse_routes(const std::string& text, const std::string& label) {
  std::vector<Route> routes;
  std::set<std::pair<std::string, int>> listening;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    std::string where = label + ":" + std::to_string(number);
    routes.push_back(parse_line(line, where));
    if (!listening.emplace(routes.back().listen_address, routes.back().listen_port).second)
      throw RouteError(where + ": " + routes.back().listen_address + ":" +
                       std::to_string(routes.back().listen_port) + " is listed twice");
  }
  if (routes.empty()) throw RouteError(label + ": no route");
  return routes;
}

std::string routes_text(const std::vector<Route>& routes) {
  std::string out;
  for (const auto& r : routes)
    out += r.listen_address + " " + std::to_string(r.listen_port) + " " + r.target_address + " " +
           std::to_string(r.target_port) + "\n";
  return out;
}

}  // namespace lab::delay_proxy
