// Output of a Windows node arrives in its console code page (chcp); the product works
// in UTF-8. This is the one place bytes are decoded, once, at the transport boundary.
#pragma once

#include <string>
#include <string_view>

namespace lkr {

// Decodes `bytes` from Windows code page `codepage` (437, 850, 932, 1252, 65001, or
// any other the system's iconv knows as CP<n>) to UTF-8. Bytes that do not decode are
// kept as the four characters `\xNN` (never dropped), so nothing the node said is
// lost. Line ends are left as they are (CRLF). 65001 is UTF-8: validated, invalid
// bytes escaped the same way. Throws std::invalid_argument for an unknown code page.
std::string decode_to_utf8(std::string_view bytes, int codepage);

// Whether decode_to_utf8 can decode `codepage` on this system.
bool codepage_supported(int codepage);

}  // namespace lkr
