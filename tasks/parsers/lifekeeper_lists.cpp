#include "tasks/parsers/lifekeeper_lists.h"

#include "tasks/assumed_formats.h"
#include "tasks/parsers/text_lines.h"

namespace lkr::tasks {
namespace {

// The fields of every non-blank line, each line checked for its field count and for
// bytes no listing can hold (garbage, control characters).
template <typename Record, typename MakeRecord>
std::vector<Record> parse_records(std::string_view text, std::optional<char> separator,
                                  std::string_view command, std::size_t field_count,
                                  std::string_view shape, MakeRecord make) {
  std::vector<Record> records;
  for (const std::string& line : split_lines(text)) {
    if (trim(line).empty()) continue;
    if (!is_clean_text(line)) throw_odd_output(command, shape, line);
    std::vector<std::string> fields =
        separator ? split_on(line, *separator) : split_on_blanks(line);
    if (fields.size() != field_count) throw_odd_output(command, shape, line);
    for (const std::string& f : fields)
      if (f.empty()) throw_odd_output(command, shape, line);
    records.push_back(make(fields, line));
  }
  return records;
}

}  // namespace

std::vector<Equivalency> parse_eqv_list(std::string_view text, std::optional<char> separator) {
  constexpr std::string_view command = "eqv_list";
  return parse_records<Equivalency>(
      text, separator, command, assumed::kEqvListFields, assumed::kEqvListShape,
      [&](const std::vector<std::string>& f, std::string_view line) {
        return Equivalency{f[0],
                           f[1],
                           f[2],
                           f[3],
                           f[4],
                           parse_int_field(f[5], command, assumed::kEqvListShape, line),
                           parse_int_field(f[6], command, assumed::kEqvListShape, line)};
      });
}

std::vector<std::string> parse_sys_list(std::string_view text) {
  constexpr std::string_view shape = "one system name a line";
  std::vector<std::string> systems;
  for (const std::string& line : split_lines(text)) {
    std::string name = trim(line);
    if (name.empty()) continue;
    if (!is_clean_text(name) || name.find('\t') != std::string::npos)
      throw_odd_output("sys_list", shape, line);
    systems.push_back(name);
  }
  if (systems.empty()) throw_no_output("sys_list", shape);
  return systems;
}

std::vector<CommPath> parse_net_list(std::string_view text, std::optional<char> separator) {
  constexpr std::string_view command = "net_list";
  return parse_records<CommPath>(
      text, separator, command, assumed::kNetListFields, assumed::kNetListShape,
      [&](const std::vector<std::string>& f, std::string_view line) {
        return CommPath{f[0], f[1], f[2],
                        f[3], f[4], parse_int_field(f[5], command, assumed::kNetListShape, line),
                        f[6]};
      });
}

std::vector<Resource> parse_ins_list(std::string_view text, std::optional<char> separator) {
  return parse_records<Resource>(text, separator, "ins_list", assumed::kInsListFields,
                                 assumed::kInsListShape,
                                 [](const std::vector<std::string>& f, std::string_view) {
                                   return Resource{f[0], f[1], f[2], f[3], f[4]};
                                 });
}

}  // namespace lkr::tasks
