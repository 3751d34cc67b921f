// RFC 4648 base64: WinRS stream bytes (rsp:Stream), HTTP credentials and tokens, and
// PowerShell's -EncodedCommand.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lkr {

std::string base64_encode(std::string_view bytes);

// Whitespace inside the text is skipped (XML may wrap it); nullopt for any other
// character outside the alphabet or bad padding.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace lkr
