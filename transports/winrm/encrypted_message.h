// WinRM message encryption over HTTP (MS-WSMV 2.2.9.1.1, "Negotiate"): a SOAP envelope
// travels as a multipart/encrypted body of two parts, a header naming the original
// content type and length, then application/octet-stream holding the 4-byte
// little-endian signature length, the signature and the sealed envelope:
//
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n
//   \tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=N\r\n
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/octet-stream\r\n
//   <len><signature><sealed>--Encrypted Boundary--\r\n
//
// Written exactly as Windows and pywinrm write it (pywinrm's parser depends on the
// tab-indented octet-stream line); read tolerantly (with or without the tabs).
#pragma once

#include <optional>
#include <string>

#include "transports/winrm/ntlm_sealing.h"

namespace lkr::winrm {

extern const char* const kEncryptedContentType;  // the HTTP Content-Type of such a body

// True when an HTTP Content-Type names the SPNEGO session-encrypted protocol.
bool is_encrypted_content_type(const std::string& content_type);

std::string encrypt_body(ntlm::NtlmSealing& sealing, const std::string& envelope);

// The envelope, or nullopt when the body is not such a message, its signature does not
// verify, or its length differs from the announced one. `why` says which.
std::optional<std::string> decrypt_body(ntlm::NtlmSealing& sealing, const std::string& body,
                                        std::string& why);

}  // namespace lkr::winrm
