// What WinRM message encryption (MS-WSMV 2.2.9.1) needs from an authenticated
// connection: GSS_Wrap with the token header apart from the sealed bytes, and its inverse.
// NTLM's header is its 16-byte signature; Kerberos' is the wrap token header of
// gss_wrap_iov (RFC 4121 with the trailer folded into the header).
#pragma once

#include <optional>
#include <string>

namespace lkr::winrm {

class SessionSealer {
 public:
  virtual ~SessionSealer() = default;
  struct Sealed {
    std::string header;  // goes first, after its 4-byte little-endian length
    std::string data;    // the sealed message (with any cipher padding)
  };
  virtual Sealed seal(const std::string& message) = 0;
  // The message, or nullopt when it does not verify (tampered, replayed, other key):
  // the connection is then unusable.
  virtual std::optional<std::string> unseal(const std::string& header, const std::string& data) = 0;
};

}  // namespace lkr::winrm
