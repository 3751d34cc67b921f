// The product's one home for hashing (OpenSSL): SHA-256 for the inventory's digest, the
// audit chain and snapshot names; HMAC-SHA256 for the keyed audit trail.
#pragma once

#include <string>

namespace lkr {

// Lowercase hex.
std::string sha256_hex(const std::string& bytes);
std::string hmac_sha256_hex(const std::string& key, const std::string& bytes);

}  // namespace lkr
