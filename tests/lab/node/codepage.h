// Text as the node's console shows it: UTF-8 inside the lab, the code page on the wire.
#pragma once

#include <string>
#include <string_view>

namespace lab {

// The code pages a node may use: 437, 850, 932 (Shift_JIS as Windows has it), 1252, 65001.
bool is_supported_codepage(int codepage);

// UTF-8 -> the code page, every "\n" becoming "\r\n" (a "\r\n" already there stays);
// a character the code page lacks becomes '?', as WideCharToMultiByte's default char does.
std::string to_console(std::string_view utf8, int codepage);

// UTF-8 -> the code page, line ends untouched ('?' for what the code page lacks).
std::string encode(std::string_view utf8, int codepage);

// The code page's bytes -> UTF-8 (no line-end change); bad bytes become U+FFFD.
std::string from_codepage(std::string_view bytes, int codepage);

// UTF-16LE (without BOM) <-> UTF-8.
std::string utf16le_to_utf8(std::string_view bytes);
std::string utf8_to_utf16le(std::string_view utf8);

}  // namespace lab
