// Whether a string can be handed to the resolver as it is: an IP address or a DNS name.
#pragma once

#include <string>

namespace lkr {

// IPv4 or IPv6 literal, or a DNS name (labels of letters, digits, '-' and '_', 1..63 bytes,
// no leading/trailing '-', 253 bytes at most). Underscores are accepted because Windows
// machine names often carry them and resolvers pass them through.
bool is_usable_address(const std::string& s);

}  // namespace lkr
