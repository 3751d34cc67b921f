// lab-delay-proxy: the lab's network delay. One process for the whole lab, started by
// `lab up --rtt-ms R` (or a scenario's "rtt_ms"): for every route of the routes file it
// listens on a node's advertised loopback address and port and forwards each connection
// to the node's own sshd or lab-winrm listener, every chunk delayed by R/2 ms in each
// direction, so that a round trip costs R, as on a WAN link.
//   lab-delay-proxy --rtt-ms R --routes FILE [--ready-file PATH]
// The ready file (its pid) is written once every listener is bound, so whoever started
// the proxy knows when the nodes can be reached through it.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "tests/lab/delay_proxy/relay.h"
#include "tests/lab/delay_proxy/route.h"

namespace {

struct Settings {
  long rtt_us = -1;
  std::string routes_file, ready_file;
};

const char* kUsage = "usage: lab-delay-proxy --rtt-ms R --routes FILE [--ready-file PATH]\n";

// Whole or fractional milliseconds ("20", "0.5"), as microseconds.
long parse_rtt_us(const std::string& text) {
  size_t used = 0;
  double ms = std::stod(text, &used);
  if (used != text.size() || ms < 0 || ms > 600000) throw std::invalid_argument(text);
  return static_cast<long>(ms * 1000 + 0.5);
}

Settings parse_args(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
    std::string value = argv[++i];
    if (a == "--rtt-ms")
      s.rtt_us = parse_rtt_us(value);
    else if (a == "--routes")
      s.routes_file = value;
    else if (a == "--ready-file")
      s.ready_file = value;
    else
      throw std::invalid_argument("unknown option " + a);
  }
  if (s.rtt_us < 0 || s.routes_file.empty())
    throw std::invalid_argument("--rtt-ms and --routes are required");
  return s;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw lab::delay_proxy::RouteError(path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Two descriptors per connection, one per listener: a 300-node lab under --forks 300
// passes the usual soft limit of 1024.
void raise_descriptor_limit() {
  rlimit l{};
  if (getrlimit(RLIMIT_NOFILE, &l) == 0 && l.rlim_cur < l.rlim_max) {
    l.rlim_cur = l.rlim_max;
    setrlimit(RLIMIT_NOFILE, &l);
  }
}

void write_ready_file(const std::string& path) {
  if (path.empty()) return;
  std::string tmp = path + ".tmp";
  std::ofstream(tmp, std::ios::trunc) << getpid() << "\n";
  std::filesystem::rename(tmp, path);  // appears whole, or not at all
}

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  try {
    s = parse_args(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "lab-delay-proxy: " << e.what() << "\n" << kUsage;
    return 2;
  }
  try {
    auto routes = lab::delay_proxy::parse_routes(read_text(s.routes_file), s.routes_file);
    raise_descriptor_limit();
    lab::delay_proxy::Relay relay(std::move(routes), std::chrono::microseconds(s.rtt_us / 2));
    relay.listen();
    write_ready_file(s.ready_file);
    relay.run();
  } catch (const std::exception& e) {
    std::cerr << "lab-delay-proxy: " << e.what() << "\n";
    return 1;
  }
}
