// The WinRM settings that are a choice among fixed values, with the names the inventory
// gives them (ansible_winrm_*). Parsed once by the inventory; the transport switches on
// the values.
#pragma once

#include <string_view>

#include "transports/enum_names.h"

namespace lkr {

// ansible_winrm_transport.
enum class WinrmAuth {
  basic,        // user and password in every request (HTTPS, or http when allowed)
  ntlm,         // NTLM through Negotiate: authenticates the connection, then seals
  kerberos,     // Kerberos through SPNEGO: likewise
  certificate,  // a TLS client certificate the node maps to a user (HTTPS only)
};
inline constexpr EnumName<WinrmAuth> kWinrmAuthNames[] = {{"basic", WinrmAuth::basic},
                                                          {"ntlm", WinrmAuth::ntlm},
                                                          {"kerberos", WinrmAuth::kerberos},
                                                          {"certificate", WinrmAuth::certificate}};
constexpr std::string_view to_string(WinrmAuth auth) { return name_of(auth, kWinrmAuthNames); }

// NTLM and Kerberos authenticate a connection once (a Negotiate handshake) and can seal
// the messages on it; Basic and certificate authenticate every request themselves.
constexpr bool authenticates_connection(WinrmAuth auth) {
  return auth == WinrmAuth::ntlm || auth == WinrmAuth::kerberos;
}

// ansible_winrm_scheme.
enum class WinrmScheme { https, http };
inline constexpr EnumName<WinrmScheme> kWinrmSchemeNames[] = {{"https", WinrmScheme::https},
                                                              {"http", WinrmScheme::http}};
constexpr std::string_view to_string(WinrmScheme scheme) {
  return name_of(scheme, kWinrmSchemeNames);
}

// ansible_winrm_message_encryption: auto (seal over http), always, never.
enum class MessageEncryption { automatic, always, never };
inline constexpr EnumName<MessageEncryption> kMessageEncryptionNames[] = {
    {"auto", MessageEncryption::automatic},
    {"always", MessageEncryption::always},
    {"never", MessageEncryption::never}};
constexpr std::string_view to_string(MessageEncryption e) {
  return name_of(e, kMessageEncryptionNames);
}

}  // namespace lkr
