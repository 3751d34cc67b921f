#include "tasks/parsers/lifekeeper_lists.h"

#include <algorithm>
#include <optional>

#include "tasks/assumed_formats.h"
#include "tasks/parsers/text_lines.h"

namespace lkr::tasks {
namespace {

// The non-blank lines of `text`, each checked for bytes no listing can hold.
std::vector<std::string> listing_lines(std::string_view text, std::string_view command,
                                       std::string_view shape) {
  std::vector<std::string> lines;
  for (const std::string& line : split_lines(text)) {
    if (trim(line).empty()) continue;
    if (!is_clean_text(line, true)) throw_odd_output(command, shape, line);
    lines.push_back(line);
  }
  return lines;
}

bool is_address(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' ||
           c == ':' || c == '%';
  });
}

// "local/remote": exactly one '/', an address on each side.
std::optional<std::pair<std::string, std::string>> address_pair(std::string_view field) {
  std::size_t slash = field.find('/');
  if (slash == std::string_view::npos || field.find('/', slash + 1) != std::string_view::npos)
    return std::nullopt;
  std::string_view a = field.substr(0, slash), b = field.substr(slash + 1);
  if (!is_address(a) || !is_address(b)) return std::nullopt;
  return std::pair{std::string(a), std::string(b)};
}

bool is_path_state(std::string_view s) {
  return std::find(assumed::kCommPathStates.begin(), assumed::kCommPathStates.end(), s) !=
         assumed::kCommPathStates.end();
}

bool is_number(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The layouts of assumed_formats.h (net_list), each as where its fields stand.
struct NetLayout {
  std::size_t local = 99, other, pair, device = 99, state, priority, min_fields;
  std::string_view type_word;  // "TCP" where the layout has a type instead of a device
};
constexpr NetLayout kOtherFirst{99, 0, 1, 2, 3, 4, 5, ""};
constexpr NetLayout kLocalFirst{0, 1, 2, 3, 4, 5, 6, ""};
constexpr NetLayout kStatus{99, 0, 2, 99, 3, 4, 5, "TCP"};

std::optional<CommPath> read_layout(const NetLayout& l, const std::vector<std::string>& f,
                                    std::string_view local_system) {
  if (f.size() < l.min_fields) return std::nullopt;
  if (!l.type_word.empty() && f.size() != l.min_fields) return std::nullopt;
  auto pair = address_pair(f[l.pair]);
  if (!pair || f[l.other].empty() || !is_path_state(f[l.state]) || !is_number(f[l.priority]))
    return std::nullopt;
  if (l.device != 99 && !assumed::is_device(f[l.device])) return std::nullopt;
  if (!l.type_word.empty() && f[1] != l.type_word) return std::nullopt;
  if (l.local != 99 && !same_system(f[l.local], local_system)) return std::nullopt;
  CommPath p;
  p.system = l.local != 99 ? f[l.local] : std::string(local_system);
  p.other_system = f[l.other];
  p.local_address = pair->first;
  p.remote_address = pair->second;
  p.device = l.device != 99 ? f[l.device] : "";
  p.state = f[l.state];
  p.priority = std::stoi(f[l.priority].substr(0, 9));
  return p;
}

}  // namespace

std::vector<std::string> split_listing_line(std::string_view line, char separator) {
  bool has_requested = line.find(separator) != std::string_view::npos;
  return split_on(line, has_requested ? separator : assumed::kDefaultSeparator);
}

std::vector<Equivalency> parse_eqv_list(std::string_view text, char separator) {
  constexpr std::string_view command = "eqv_list";
  const std::string_view shape = assumed::kEqvListShape;
  std::vector<Equivalency> out;
  for (const std::string& line : listing_lines(text, command, shape)) {
    std::vector<std::string> f = split_listing_line(line, separator);
    if (f.size() != assumed::kEqvListFields) throw_odd_output(command, shape, line);
    for (const std::string& field : f)
      if (field.empty()) throw_odd_output(command, shape, line);
    out.push_back(Equivalency{f[0], f[1], f[2], f[3], f[4],
                              parse_int_field(f[5], command, shape, line),
                              parse_int_field(f[6], command, shape, line)});
  }
  return out;
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

std::vector<CommPath> parse_net_list(std::string_view text, char separator,
                                     std::string_view local_system) {
  constexpr std::string_view command = "net_list";
  std::vector<CommPath> out;
  for (const std::string& line : listing_lines(text, command, assumed::kNetListShape)) {
    std::vector<std::string> f = split_listing_line(line, separator);
    std::vector<CommPath> readings;
    for (const NetLayout* l : {&kOtherFirst, &kLocalFirst, &kStatus})
      if (auto p = read_layout(*l, f, local_system)) readings.push_back(*p);
    // None: a layout we do not know; several: the line could mean two different paths.
    if (readings.size() != 1) throw_odd_output(command, assumed::kNetListShape, line);
    readings[0].line = line;
    out.push_back(readings[0]);
  }
  return out;
}

std::vector<Resource> parse_ins_list(std::string_view text, char separator) {
  constexpr std::string_view command = "ins_list";
  const std::string_view shape = assumed::kInsListShape;
  std::vector<Resource> out;
  for (const std::string& line : listing_lines(text, command, shape)) {
    std::vector<std::string> f = split_listing_line(line, separator);
    if (f.size() < assumed::kInsListMinFields) throw_odd_output(command, shape, line);
    for (std::size_t i = 0; i < 4; ++i)
      if (f[i].empty()) throw_odd_output(command, shape, line);
    if (!assumed::is_resource_state(f[6]))
      throw_odd_output(command, std::string(shape) + " (state ISP, ISU, OSU or OSF)", line);
    out.push_back(Resource{f[0], f[1], f[2], f[3], f[4], f[5], f[6],
                           std::vector<std::string>(f.begin() + 7, f.end())});
  }
  return out;
}

}  // namespace lkr::tasks
