// RFC 4648 base64, as WinRS carries stream bytes (rsp:Stream) and HTTP Basic credentials.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lkr::winrm {

std::string base64_encode(std::string_view bytes);

// Whitespace inside the text is skipped (XML may wrap it); nullopt for any other
// character outside the alphabet or bad padding.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace lkr::winrm
