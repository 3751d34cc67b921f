#include "tasks/parsers/certutil_output.h"

#include <algorithm>

#include "tasks/assumed_formats.h"
#include "tasks/parsers/text_lines.h"

namespace lkr::tasks {
namespace {

constexpr std::string_view kHashfile = "certutil -hashfile";
constexpr std::string_view kHashfileShape =
    "three lines: \"SHA256 hash of FILE:\", 64 hex digits (or 32 space-separated pairs), "
    "\"CertUtil: -hashfile command completed successfully.\"";
constexpr std::string_view kEncode = "certutil -encode";
constexpr std::string_view kEncodeShape =
    "\"-----BEGIN CERTIFICATE-----\", base64 in lines of 64 characters, "
    "\"-----END CERTIFICATE-----\"";

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// "ab 71 0a ..." (32 pairs, one space between) -> "ab710a..."; empty when not that shape.
std::string without_pair_spaces(std::string_view line) {
  constexpr std::size_t pairs = assumed::kSha256HexDigits / 2;
  if (line.size() != pairs * 3 - 1) return "";
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (i % 3 == 2) {
      if (line[i] != ' ') return "";
      continue;
    }
    out += line[i];
  }
  return out;
}

std::string digest_of(std::string_view line) {
  std::string digest = trim(line);
  if (digest.size() != assumed::kSha256HexDigits) digest = without_pair_spaces(digest);
  if (digest.size() != assumed::kSha256HexDigits ||
      !std::all_of(digest.begin(), digest.end(), is_hex))
    throw_odd_output(kHashfile, kHashfileShape, line);
  std::transform(digest.begin(), digest.end(), digest.begin(), lower);
  return digest;
}

// One base64 line between BEGIN and END: `last` may be shorter and end in padding.
void check_encoded_line(std::string_view line, bool last) {
  std::size_t data = line.find_last_not_of('=') + 1;  // 0 for an all-'=' line
  bool padding_ok = line.size() - data <= 2 && (data > 0) && (last || data == line.size());
  bool length_ok = last ? !line.empty() && line.size() <= assumed::kEncodedLineChars
                        : line.size() == assumed::kEncodedLineChars;
  bool alphabet_ok =
      std::all_of(line.begin(), line.begin() + static_cast<long>(data), is_base64_char);
  if (!padding_ok || !length_ok || !alphabet_ok) throw_odd_output(kEncode, kEncodeShape, line);
}

}  // namespace

std::string parse_hashfile_sha256(std::string_view text) {
  std::vector<std::string> lines = split_lines(text);
  if (lines.empty()) throw_no_output(kHashfile, kHashfileShape);
  if (lines.size() < 2) throw_odd_output(kHashfile, kHashfileShape, lines[0]);
  std::string digest = digest_of(lines[1]);
  if (lines.size() != assumed::kHashfileLines)
    throw_odd_output(kHashfile, kHashfileShape, lines.size() > 3 ? lines[3] : lines[1]);
  return digest;
}

std::string parse_encoded_file(std::string_view text) {
  std::vector<std::string> lines = split_lines(text);
  if (lines.empty()) throw_no_output(kEncode, kEncodeShape);
  if (lines.front() != assumed::kEncodedBegin) throw_odd_output(kEncode, kEncodeShape, lines[0]);
  if (lines.size() < 3 || lines.back() != assumed::kEncodedEnd)
    throw_odd_output(kEncode, kEncodeShape, lines.back());
  std::string joined;
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    check_encoded_line(lines[i], i + 2 == lines.size());
    joined += lines[i];
  }
  if (joined.size() % 4 != 0) throw_odd_output(kEncode, kEncodeShape, lines[lines.size() - 2]);
  return joined;
}

}  // namespace lkr::tasks
