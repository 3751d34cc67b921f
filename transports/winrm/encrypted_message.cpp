#include "transports/winrm/encrypted_message.h"

#include <algorithm>
#include <cctype>

#include "transports/winrm/ntlm_crypto.h"

namespace lkr::winrm {
namespace {

const std::string kBoundary = "--Encrypted Boundary";
// A Kerberos wrap token's data may be followed by cipher padding (at most a block);
// AES (RFC 4121) adds none.
constexpr size_t kMaxPadding = 64;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Skips one header line ("[\t ]Name: value\r\n") at `at`; returns its text (trimmed) and
// moves `at` past it. nullopt when there is no complete line.
std::optional<std::string> header_line(const std::string& body, size_t& at) {
  size_t eol = body.find("\r\n", at);
  if (eol == std::string::npos) return std::nullopt;
  std::string line = body.substr(at, eol - at);
  at = eol + 2;
  size_t b = line.find_first_not_of(" \t");
  return b == std::string::npos ? "" : line.substr(b);
}

}  // namespace

const char* const kSpnegoProtocol = "application/HTTP-SPNEGO-session-encrypted";
const char* const kKerberosProtocol = "application/HTTP-Kerberos-session-encrypted";
const char* const kEncryptedContentType =
    "multipart/encrypted;protocol=\"application/HTTP-SPNEGO-session-encrypted\";"
    "boundary=\"Encrypted Boundary\"";

std::string encrypted_content_type(const std::string& protocol) {
  return "multipart/encrypted;protocol=\"" + protocol + "\";boundary=\"Encrypted Boundary\"";
}

bool is_encrypted_content_type(const std::string& content_type) {
  std::string c = lower(content_type);
  return c.rfind("multipart/encrypted", 0) == 0 &&
         (c.find(lower(kSpnegoProtocol)) != std::string::npos ||
          c.find(lower(kKerberosProtocol)) != std::string::npos);
}

std::string encrypted_protocol_of(const std::string& content_type) {
  return lower(content_type).find(lower(kKerberosProtocol)) != std::string::npos ? kKerberosProtocol
                                                                                 : kSpnegoProtocol;
}

std::string encrypt_body(SessionSealer& sealer, const std::string& envelope,
                         const std::string& protocol) {
  SessionSealer::Sealed s = sealer.seal(envelope);
  return kBoundary + "\r\n\tContent-Type: " + protocol +
         "\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=" +
         std::to_string(envelope.size()) + "\r\n" + kBoundary +
         "\r\n\tContent-Type: application/octet-stream\r\n" +
         ntlm::le32(static_cast<uint32_t>(s.header.size())) + s.header + s.data + kBoundary +
         "--\r\n";
}

std::optional<std::string> decrypt_body(SessionSealer& sealer, const std::string& body,
                                        std::string& why) {
  size_t at = 0;
  if (body.compare(0, kBoundary.size() + 2, kBoundary + "\r\n") != 0) {
    why = "the body does not start with the encrypted boundary";
    return std::nullopt;
  }
  at = kBoundary.size() + 2;
  std::optional<size_t> length;
  // The first part's header lines, up to the second boundary.
  for (;;) {
    auto line = header_line(body, at);
    if (!line) {
      why = "the encrypted body ends inside its first part";
      return std::nullopt;
    }
    if (*line == kBoundary) break;
    std::string l = lower(*line);
    size_t p = l.find("length=");
    if (l.rfind("originalcontent:", 0) == 0 && p != std::string::npos) {
      try {
        length = std::stoul(l.substr(p + 7));
      } catch (const std::exception&) {
        why = "the OriginalContent length is not a number";
        return std::nullopt;
      }
    }
  }
  auto octets = header_line(body, at);
  if (!length || !octets || lower(*octets).find("application/octet-stream") == std::string::npos) {
    why = "the encrypted body lacks its OriginalContent length or octet-stream part";
    return std::nullopt;
  }
  if (body.size() < at + 4) {
    why = "the encrypted body is truncated";
    return std::nullopt;
  }
  uint32_t header_len = ntlm::read_le32(body, at);
  at += 4;
  if (header_len == 0 || header_len > 1024 || body.size() < at + header_len + *length) {
    why = "the encrypted body is truncated or its token header length is wrong";
    return std::nullopt;
  }
  std::string header = body.substr(at, header_len);
  // The sealed bytes run to the closing boundary: the announced length, plus padding.
  size_t data_at = at + header_len;
  size_t end = body.find(kBoundary, data_at + *length);
  if (end == std::string::npos || end > data_at + *length + kMaxPadding) {
    why = "the encrypted part is longer than its OriginalContent length";
    return std::nullopt;
  }
  auto message = sealer.unseal(header, body.substr(data_at, end - data_at));
  if (!message) {
    why = "the message signature does not verify (wrong key, tampered or replayed)";
    return std::nullopt;
  }
  if (message->size() != *length) {
    why = "the decrypted message is not as long as its OriginalContent length";
    return std::nullopt;
  }
  return message;
}

}  // namespace lkr::winrm
