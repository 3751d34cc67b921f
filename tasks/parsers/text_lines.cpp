#include "tasks/parsers/text_lines.h"

#include <charconv>
#include <cstdio>

#include "tasks/action.h"
#include "transports/utf8_sequence.h"

namespace lkr::tasks {
namespace {

constexpr std::size_t kQuotedLineMax = 200;

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

std::string hex_escape(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c));
  return buf;
}

}  // namespace

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    start = end + 1;
  }
  while (!lines.empty() && trim(lines.back()).empty()) lines.pop_back();
  return lines;
}

std::vector<std::string> split_on(std::string_view line, char separator) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = line.find(separator, start);
    if (end == std::string_view::npos) {
      fields.emplace_back(line.substr(start));
      return fields;
    }
    fields.emplace_back(line.substr(start, end - start));
    start = end + 1;
  }
}

std::vector<std::string> split_on_blanks(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) fields.emplace_back(line.substr(start, i - start));
  }
  return fields;
}

std::string trim(std::string_view text) {
  const char* blanks = " \t\r\n";
  std::size_t first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  std::size_t last = text.find_last_not_of(blanks);
  return std::string(text.substr(first, last - first + 1));
}

bool is_clean_text(std::string_view text, bool allow_ctrl_a) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) return false;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (len == 1 && is_control(c) && c != '\t' && !(allow_ctrl_a && c == 0x01)) return false;
    i += len;
  }
  return true;
}

std::string quote_line(std::string_view line) {
  std::string out;
  std::size_t shown = 0;
  std::size_t i = 0;
  for (; i < line.size() && shown < kQuotedLineMax; ++shown) {
    std::size_t len = utf8_sequence_length(line, i);
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (len == 0 || (len == 1 && is_control(c))) {
      out += hex_escape(c);
      ++i;
    } else {
      out.append(line.substr(i, len));
      i += len;
    }
  }
  if (i < line.size()) out += "...";
  return out;
}

std::string failure_text(int exit_code, std::string_view stderr_text,
                         std::string_view stdout_text) {
  std::string said;
  for (std::string_view text : {stderr_text, stdout_text}) {
    for (const std::string& line : split_lines(text))
      if (!trim(line).empty()) {
        said = quote_line(trim(line));
        break;
      }
    if (!said.empty()) break;
  }
  return "exit code " + std::to_string(exit_code) + (said.empty() ? "" : ": " + said);
}

void throw_odd_output(std::string_view command, std::string_view expected, std::string_view line) {
  throw OddOutput(std::string(command) + ": expected " + std::string(expected) + "; got \"" +
                      quote_line(line) + "\"",
                  std::string(line));
}

void throw_no_output(std::string_view command, std::string_view expected) {
  throw OddOutput(std::string(command) + ": expected " + std::string(expected) + "; got no output");
}

int parse_int_field(std::string_view field, std::string_view command, std::string_view expected,
                    std::string_view line) {
  int value = 0;
  auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (field.empty() || error != std::errc() || end != field.data() + field.size())
    throw_odd_output(command, expected, line);
  return value;
}

}  // namespace lkr::tasks
