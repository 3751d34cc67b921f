// WinRM message encryption over HTTP (MS-WSMV 2.2.9.1.1 "Negotiate", 2.2.9.1.2
// "Kerberos"): a SOAP envelope travels as a multipart/encrypted body of two parts, a
// header naming the original content type and length, then application/octet-stream
// holding the 4-byte little-endian length of the token header (NTLM: the signature;
// Kerberos: the gss_wrap_iov header), the header and the sealed envelope:
//
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n
//   \tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=N\r\n
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/octet-stream\r\n
//   <len><signature><sealed>--Encrypted Boundary--\r\n
//
// Written exactly as Windows and pywinrm write it (pywinrm's parser depends on the
// tab-indented octet-stream line); read tolerantly (with or without the tabs). The
// protocol is "application/HTTP-SPNEGO-session-encrypted" under "Authorization:
// Negotiate" (NTLM or Kerberos inside SPNEGO, and what pywinrm 0.3 sends for kerberos
// too) and "application/HTTP-Kerberos-session-encrypted" under "Authorization: Kerberos".
#pragma once

#include <optional>
#include <string>

#include "transports/winrm/session_sealer.h"

namespace lkr::winrm {

extern const char* const kSpnegoProtocol;        // application/HTTP-SPNEGO-session-encrypted
extern const char* const kKerberosProtocol;      // application/HTTP-Kerberos-session-encrypted
extern const char* const kEncryptedContentType;  // the HTTP Content-Type, SPNEGO protocol

// multipart/encrypted;protocol="PROTOCOL";boundary="Encrypted Boundary"
std::string encrypted_content_type(const std::string& protocol);

// True when an HTTP Content-Type names the SPNEGO or Kerberos session-encrypted protocol.
bool is_encrypted_content_type(const std::string& content_type);
// The protocol a Content-Type names (kKerberosProtocol or kSpnegoProtocol).
std::string encrypted_protocol_of(const std::string& content_type);

std::string encrypt_body(SessionSealer& sealer, const std::string& envelope,
                         const std::string& protocol = kSpnegoProtocol);

// The envelope, or nullopt when the body is not such a message, its token does not
// verify, or its length differs from the announced one. `why` says which.
std::optional<std::string> decrypt_body(SessionSealer& sealer, const std::string& body,
                                        std::string& why);

}  // namespace lkr::winrm
