// SHA-256 (FIPS 180-4) for the lab's certutil -hashfile. The lab's own, on purpose: the
// product hashes with OpenSSL, and a lab that shared its hashing could not catch it.
#pragma once

#include <string>
#include <string_view>

namespace lab {

// The 32-byte digest as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace lab
