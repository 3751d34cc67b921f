// cmd.exe's built-ins as the product uses them, plus chcp.com and hostname.exe.
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "tests/lab/node/cmd_parser.h"
#include "tests/lab/node/codepage.h"
#include "tests/lab/node/commands.h"
#include "tests/lab/node/text_util.h"

namespace lab {

namespace fs = std::filesystem;

namespace {

constexpr const char* kVolumeSerial = "1A2B-3C4D";
constexpr long long kFreeBytes = 21474836480LL;

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string without_quotes(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '"'), s.end());
  return s;
}

bool has_wildcard(const std::string& s) { return s.find_first_of("*?") != std::string::npos; }

std::string parent_of(const std::string& windows_path) {
  size_t slash = windows_path.rfind('\\');
  return slash <= 2 ? windows_path.substr(0, 3) : windows_path.substr(0, slash);
}

std::string leaf_of(const std::string& windows_path) {
  return windows_path.substr(windows_path.rfind('\\') + 1);
}

std::string with_thousands(long long n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string pad_left(const std::string& s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

// "05/23/2012  01:02 PM" (English) or "2012/05/23  13:02" (Japanese), local time.
std::string dir_timestamp(time_t t, bool japanese) {
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  if (japanese) {
    std::strftime(buf, sizeof buf, "%Y/%m/%d  %H:%M", &tm);
  } else {
    std::strftime(buf, sizeof buf, "%m/%d/%Y  %I:%M %p", &tm);
  }
  return buf;
}

struct DirEntry {
  std::string name;
  bool directory = false;
  long long size = 0;
  time_t mtime = 0;
};

DirEntry entry_of(const std::string& host, const std::string& name) {
  struct stat st {};
  ::stat(host.c_str(), &st);
  return {name, S_ISDIR(st.st_mode), static_cast<long long>(st.st_size), st.st_mtime};
}

std::string dir_line(const DirEntry& e, bool japanese) {
  std::string size = e.directory ? "    <DIR>         " : pad_left(with_thousands(e.size), 18);
  return dir_timestamp(e.mtime, japanese) + size + " " + e.name;
}

// The files of a folder (host path) whose names match `pattern`, sorted as NTFS lists them.
std::vector<DirEntry> matching_entries(const std::string& host_dir, const std::string& pattern) {
  std::vector<DirEntry> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(host_dir, ec)) {
    std::string name = e.path().filename().string();
    if (wildcard_match(pattern, name)) out.push_back(entry_of(e.path().string(), name));
  }
  std::sort(out.begin(), out.end(), [](const DirEntry& a, const DirEntry& b) {
    return to_lower(a.name) < to_lower(b.name);
  });
  return out;
}

}  // namespace

int cmd_cd(CommandContext& c) {
  std::string arg = trim(c.rest);
  if (arg.size() >= 2 && iequals(arg.substr(0, 2), "/d") && (arg.size() == 2 || arg[2] == ' '))
    arg = trim(arg.substr(2));
  arg = without_quotes(arg);
  while (!arg.empty() && arg.back() == ' ') arg.pop_back();
  if (arg.empty()) {
    c.out_line(c.session.cwd);
    return 0;
  }
  std::string target = c.session.absolute(arg);
  auto host = host_path(c.session.node_dir, target);
  if (!host || !fs::is_directory(*host)) {
    c.err_line(c.msg(Msg::path_not_found));
    return 1;
  }
  if (target.size() > 3 && target.back() == '\\') target.pop_back();
  c.session.cwd = target;
  return 0;
}

int cmd_del(CommandContext& c) {
  std::vector<std::string> paths;
  for (const auto& w : builtin_words(c.rest)) {
    if (w.size() >= 2 && w[0] == '/') {
      if (iequals(w, "/f") || iequals(w, "/q")) continue;
      c.err_line(c.msg(Msg::invalid_switch, {w.substr(1)}));
      return 1;
    }
    paths.push_back(w);
  }
  if (paths.empty()) {
    c.err_line(c.msg(Msg::syntax_incorrect));
    return 1;
  }
  for (const auto& p : paths) {
    std::string full = c.session.absolute(p);
    auto host_dir = host_path(c.session.node_dir, parent_of(full));
    std::vector<DirEntry> files;
    if (host_dir && fs::is_directory(*host_dir))
      for (auto& e : matching_entries(*host_dir, leaf_of(full)))
        if (!e.directory) files.push_back(e);
    auto host = host_path(c.session.node_dir, full);
    if (!has_wildcard(full) && host && fs::is_directory(*host)) {
      c.err_line(c.msg(Msg::syntax_incorrect));  // deleting a folder's files prompts: not modelled
      return 1;
    }
    if (files.empty()) {
      // cmd reports it but keeps errorlevel 0: callers cannot rely on del's exit code.
      c.err_line(c.msg(Msg::could_not_find, {full}));
      continue;
    }
    for (const auto& f : files) fs::remove(*host_dir + "/" + f.name);
  }
  return 0;
}

int cmd_dir(CommandContext& c) {
  std::vector<std::string> paths;
  for (const auto& w : builtin_words(c.rest)) {
    if (w.size() >= 2 && w[0] == '/') {
      c.err_line(c.msg(Msg::invalid_switch, {"\"" + w.substr(1) + "\""}));
      return 1;
    }
    paths.push_back(w);
  }
  if (paths.size() > 1) {
    c.err_line(c.msg(Msg::syntax_incorrect));  // several paths: not modelled
    return 1;
  }
  std::string full = c.session.absolute(paths.empty() ? "." : paths[0]);
  auto host = host_path(c.session.node_dir, full);
  std::string folder = full, pattern = "*";
  bool whole_folder = host && fs::is_directory(*host);
  if (!whole_folder) {
    folder = parent_of(full);
    pattern = leaf_of(full);
  }
  auto host_folder = host_path(c.session.node_dir, folder);
  if (!host_folder || !fs::is_directory(*host_folder)) {
    c.out(c.msg(Msg::dir_volume_header, {kVolumeSerial}));
    c.err_line(c.msg(Msg::path_not_found));
    return 1;
  }
  bool ja = c.japanese();
  c.out(c.msg(Msg::dir_volume_header, {kVolumeSerial}) + "\n" +
        c.msg(Msg::dir_directory_of, {folder}) + "\n");
  std::vector<DirEntry> entries;
  if (whole_folder && folder.size() > 3) {
    entries.push_back(entry_of(*host_folder, "."));
    entries.push_back(entry_of(*host_folder + "/..", ".."));
  }
  for (auto& e : matching_entries(*host_folder, pattern)) entries.push_back(e);
  if (entries.empty()) {
    c.err_line(c.msg(Msg::dir_file_not_found));
    return 1;
  }
  long long files = 0, dirs = 0, bytes = 0;
  for (const auto& e : entries) {
    c.out_line(dir_line(e, ja));
    if (e.directory) {
      ++dirs;
    } else {
      ++files;
      bytes += e.size;
    }
  }
  // "               1 File(s)             39 bytes" / "               0 Dir(s)  21,474,836,480
  // bytes free"
  c.out_line(c.msg(Msg::dir_files_summary,
                   {pad_left(std::to_string(files), 16), pad_left(with_thousands(bytes), 14)}));
  c.out_line(c.msg(Msg::dir_dirs_summary,
                   {pad_left(std::to_string(dirs), 16), pad_left(with_thousands(kFreeBytes), 15)}));
  return 0;
}

int cmd_echo(CommandContext& c) {
  if (trim(c.rest).empty() && (c.rest.empty() || c.rest[0] == ' ' || c.rest[0] == '\t')) {
    c.out_line(c.msg(Msg::echo_is_on));
    return 0;
  }
  std::string text = c.rest.substr(1);  // the one separator after ECHO is not printed
  if (c.rest[0] == ' ' && (iequals(trim(text), "on") || iequals(trim(text), "off")))
    return 0;  // echo state: nothing shows under cmd /c
  c.out_line(text);
  return 0;
}

int cmd_type(CommandContext& c) {
  auto paths = builtin_words(c.rest);
  if (paths.empty()) {
    c.err_line(c.msg(Msg::syntax_incorrect));
    return 1;
  }
  int rc = 0;
  for (const auto& p : paths) {
    auto host = host_path(c.session.node_dir, c.session.absolute(p));
    if (!host || !fs::is_regular_file(*host)) {
      c.err_line(c.msg(Msg::file_not_found));
      rc = 1;
      continue;
    }
    std::string bytes = read_file(*host);
    if (bytes.size() >= 2 && bytes[0] == '\xFF' && bytes[1] == '\xFE')
      c.out_bytes(encode(utf16le_to_utf8(std::string_view(bytes).substr(2)), c.session.codepage));
    else
      c.out_bytes(bytes);  // ANSI files go out as they are
  }
  return rc;
}

int cmd_rem(CommandContext&) { return 0; }

int prog_chcp(CommandContext& c) {
  if (c.argv.size() == 1) {
    c.out_line(c.msg(Msg::active_code_page, {std::to_string(c.session.codepage)}));
    return 0;
  }
  int cp = 0;
  if (c.argv.size() == 2 && std::sscanf(c.argv[1].c_str(), "%d", &cp) == 1 &&
      std::to_string(cp) == c.argv[1] && is_supported_codepage(cp)) {
    c.session.codepage = cp;
    c.out_line(c.msg(Msg::active_code_page, {std::to_string(cp)}));
    return 0;
  }
  c.err_line(c.msg(Msg::invalid_code_page));
  return 1;
}

int prog_hostname(CommandContext& c) {
  if (c.argv.size() > 1) {
    c.err_line(c.msg(Msg::hostname_usage));
    return 1;
  }
  c.out_line(c.session.env("COMPUTERNAME").value_or(c.state().system));
  return 0;
}

}  // namespace lab
