// Pure parsers of what certutil.exe prints and writes for the job backup's copy
// (assumed_formats.h: `-hashfile FILE SHA256`, `-f -encode IN OUT`). Input: UTF-8 text,
// CRLF or LF. Each throws lkr::OddOutput naming the command, the expected shape and the
// raw line that does not fit.
#pragma once

#include <string>
#include <string_view>

namespace lkr::tasks {

// The SHA-256 digest certutil -hashfile printed, as 64 lowercase hex digits: its second
// line, unspaced or as 32 space-separated pairs, in either case; the output must have
// exactly three lines.
std::string parse_hashfile_sha256(std::string_view text);

// The base64 text between certutil -encode's BEGIN and END lines, joined: every line in
// between of the base64 alphabet, 64 characters but the last (1 to 64), '=' only as the
// final padding, the whole a multiple of 4 characters. Decoding is the caller's.
std::string parse_encoded_file(std::string_view text);

}  // namespace lkr::tasks
