// Small string and file helpers shared by the node's code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lab {

// ASCII case folding: Windows names (commands, variables, paths) compare this way here.
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

// Splits at every character of `separators`; empty fields are kept.
std::vector<std::string> split_any(std::string_view s, std::string_view separators);
std::string join(const std::vector<std::string>& parts, std::string_view separator);

// `*` and `?` wildcards, ASCII case-insensitive (NTFS names, PowerShell's -like).
bool wildcard_match(std::string_view pattern, std::string_view name);

std::string read_file(const std::string& path);  // throws when unreadable
// Writes path.tmp.<pid> then renames it over `path`, so readers never see half a file.
void write_file_atomically(const std::string& path, const std::string& content);

// "2026-11-25T03:45:00.123Z": the journal's and the violations' time format.
std::string iso_utc_now();

}  // namespace lab
