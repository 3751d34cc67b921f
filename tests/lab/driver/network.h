// Loopback listening addresses: is one free, pick a free port, is a listener ready.
#pragma once

#include <set>
#include <string>

namespace lab {

// Empty when a listener could bind address:port; otherwise why not ("Address already in use").
std::string bind_problem(const std::string& address, int port);

// A port the kernel considers free on `address` right now.
int pick_free_port(const std::string& address);

// One TCP connect attempt.
bool accepts_connections(const std::string& address, int port);

// The inodes of the IPv4 TCP and UDP sockets bound to any of `addresses` (from
// /proc/net/tcp and /proc/net/udp), to find which processes hold them.
std::set<unsigned long> sockets_bound_to(const std::set<std::string>& addresses);

// Whether process `pid` has one of the sockets `inodes` open (its /proc/PID/fd).
bool holds_any_socket(int pid, const std::set<unsigned long>& inodes);

}  // namespace lab
