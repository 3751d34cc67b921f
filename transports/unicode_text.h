// UTF-8 <-> UTF-16LE, as the transports need it: PowerShell's -EncodedCommand is the
// UTF-16LE of a script, NTLM carries names and keys its passwords as UTF-16LE. UTF-8 is
// read with the product's one strictness (utf8_sequence.h): no overlong forms, no
// surrogates, nothing past U+10FFFF.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lkr {

// Code points of valid UTF-8; nullopt for anything else (overlongs, surrogates, cut).
std::optional<std::vector<char32_t>> utf8_code_points(std::string_view utf8);

// Appends the UTF-8 form of `cp` (a Unicode scalar value).
void append_utf8(std::string& out, char32_t cp);

// UTF-16LE of code points (surrogate pairs outside the BMP).
std::string utf16le_from_code_points(const std::vector<char32_t>& cps);

// UTF-16LE of UTF-8 text; each byte that starts no well-formed sequence becomes U+FFFD.
std::string utf16le_from_utf8(std::string_view utf8);

// UTF-8 of UTF-16LE (for names a peer sends); an unpaired surrogate becomes U+FFFD and an
// odd last byte is dropped.
std::string utf8_from_utf16le(std::string_view utf16);

}  // namespace lkr
