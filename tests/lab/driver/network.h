// Loopback listening addresses: is one free, pick a free port, is a listener ready.
#pragma once

#include <string>

namespace lab {

// Empty when a listener could bind address:port; otherwise why not ("Address already in use").
std::string bind_problem(const std::string& address, int port);

// A port the kernel considers free on `address` right now.
int pick_free_port(const std::string& address);

// One TCP connect attempt.
bool accepts_connections(const std::string& address, int port);

}  // namespace lab
