// reg.exe over the one part of the registry the lab models: the DataKeeper job keys
// HKLM\SYSTEM\CurrentControlSet\Services\ExtMirr\Parameters\Jobs\<id> (E6) with the
// values Name and Description (REG_SZ, ASSUMED) and Endpoints (REG_MULTI_SZ, one tuple
// per node pair: E6, E7). The keys above Jobs exist (read-only); everything else in the
// registry is absent.
#include <algorithm>
#include <filesystem>

#include "tests/lab/node/codepage.h"
#include "tests/lab/node/commands.h"
#include "tests/lab/node/text_util.h"

namespace lab {
namespace {

const std::vector<std::string> kChain = {"SYSTEM",  "CurrentControlSet", "Services",
                                         "ExtMirr", "Parameters",        "Jobs"};
constexpr const char* kHive = "HKEY_LOCAL_MACHINE";

struct KeyRef {
  bool valid_name = false;  // a known root
  bool exists = false;
  size_t depth = 0;     // components below the root (0..6 chain, 7 a job)
  std::string job_id;   // depth 7: as stored when it exists, else as typed
  std::string display;  // as reg echoes it: long hive name + the typed path
};

KeyRef parse_key(const std::string& arg, const NodeState& s) {
  KeyRef k;
  std::string key = arg;
  while (!key.empty() && key.back() == '\\') key.pop_back();
  auto parts = split_any(key, "\\");
  std::string root = to_upper(parts[0]);
  bool local_machine = root == "HKLM" || root == "HKEY_LOCAL_MACHINE";
  for (const char* other : {"HKCU", "HKCR", "HKU", "HKCC", "HKEY_CURRENT_USER", "HKEY_CLASSES_ROOT",
                            "HKEY_USERS", "HKEY_CURRENT_CONFIG"})
    if (root == other) k.valid_name = true;
  if (!local_machine) return k;
  k.valid_name = true;
  parts.erase(parts.begin());
  if (std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
    k.valid_name = false;
    return k;
  }
  k.display = std::string(kHive) + (parts.empty() ? "" : "\\" + join(parts, "\\"));
  k.depth = parts.size();
  if (k.depth > kChain.size() + 1) return k;
  for (size_t i = 0; i < std::min(k.depth, kChain.size()); ++i)
    if (!iequals(parts[i], kChain[i])) return k;
  if (k.depth <= kChain.size()) {
    k.exists = true;
    return k;
  }
  k.job_id = parts.back();
  for (const auto& j : s.registry_jobs)
    if (iequals(j.id, k.job_id)) {
      k.job_id = j.id;
      k.exists = true;
    }
  return k;
}

std::string canonical_path(size_t depth, const std::string& job_id) {
  std::vector<std::string> parts(kChain.begin(), kChain.begin() + std::min(depth, kChain.size()));
  if (depth > kChain.size()) parts.push_back(job_id);
  return std::string(kHive) + (parts.empty() ? "" : "\\" + join(parts, "\\"));
}

const RegistryJob* find_job(const NodeState& s, const std::string& id) {
  for (const auto& j : s.registry_jobs)
    if (iequals(j.id, id)) return &j;
  return nullptr;
}

// One value of a job key: REG_SZ holds one string, REG_MULTI_SZ a list.
struct RegValue {
  std::string name, type;
  std::vector<std::string> data;
};

std::vector<RegValue> job_values(const RegistryJob& j) {
  return {{"Name", "REG_SZ", {j.name}},
          {"Description", "REG_SZ", {j.description}},
          {"Endpoints", "REG_MULTI_SZ", j.endpoints}};  // E6
}

// The type each modelled value takes in `reg add`; empty for a value not modelled.
std::string modelled_type(const std::string& name) {
  for (const char* v : {"Name", "Description"})
    if (iequals(name, v)) return "REG_SZ";
  return iequals(name, "Endpoints") ? "REG_MULTI_SZ" : "";
}

// Asks until the answer is yes or no; end of input counts as no.
bool confirm(CommandContext& c, const std::string& prompt) {
  for (;;) {
    c.out(prompt);
    auto answer = c.read_line();
    if (!answer) {
      c.out("\n");
      return false;
    }
    std::string a = to_lower(*answer);
    if (a == "y" || a == "yes") return true;
    if (a == "n" || a == "no") return false;
  }
}

int fail(CommandContext& c, Msg id, const std::string& op = "") {
  c.err_line(c.msg(id, {op}));
  return 1;
}

// The subkeys' names of a key that exists.
std::vector<std::string> subkeys(const KeyRef& k, const NodeState& s) {
  if (k.depth < kChain.size()) return {kChain[k.depth]};
  if (k.depth == kChain.size()) {
    std::vector<std::string> ids;
    for (const auto& j : s.registry_jobs) ids.push_back(j.id);
    return ids;
  }
  return {};
}

// As reg.exe prints values; a REG_MULTI_SZ's entries joined by a literal "\0".
void print_values(CommandContext& c, const RegistryJob& j) {
  for (const auto& v : job_values(j))
    c.out_line("    " + v.name + "    " + v.type + "    " + join(v.data, "\\0"));
}

// `reg query KEY /s`: each key that holds values, its path then its values and a blank
// line; a key without values (the chain above the jobs) is not listed, as Wine's reg
// does (Windows' own listing of such a key is not documented; the product reads both).
void query_recursive(CommandContext& c, const std::string& display, const KeyRef& k) {
  if (k.depth > kChain.size()) {
    c.out_line(display);
    print_values(c, *find_job(c.state(), k.job_id));
    c.out_line("");
  }
  for (const auto& sub : subkeys(k, c.state())) {
    KeyRef child = k;
    ++child.depth;
    if (child.depth > kChain.size()) child.job_id = sub;
    query_recursive(c, display + "\\" + sub, child);
  }
}

int reg_query(CommandContext& c, const std::vector<std::string>& args) {
  if (args.size() < 3 || args.size() > 4 || (args.size() == 4 && !iequals(args[3], "/s")))
    return fail(c, Msg::reg_invalid_syntax, " QUERY");
  KeyRef k = parse_key(args[2], c.state());
  if (!k.valid_name) return fail(c, Msg::reg_invalid_key, " QUERY");
  if (!k.exists) return fail(c, Msg::reg_not_found);
  c.out_line("");
  if (args.size() == 4) {
    query_recursive(c, k.display, k);
    return 0;
  }
  if (k.depth > kChain.size()) {
    c.out_line(k.display);
    print_values(c, *find_job(c.state(), k.job_id));
    c.out_line("");
  }
  for (const auto& sub : subkeys(k, c.state())) c.out_line(k.display + "\\" + sub);
  return 0;
}

int reg_delete(CommandContext& c, const std::vector<std::string>& args) {
  if (args.size() < 3 || args.size() > 4 || (args.size() == 4 && !iequals(args[3], "/f")))
    return fail(c, Msg::reg_invalid_syntax, " DELETE");
  KeyRef k = parse_key(args[2], c.state());
  if (!k.valid_name) return fail(c, Msg::reg_invalid_key, " DELETE");
  if (!k.exists) return fail(c, Msg::reg_not_found);
  if (k.depth <= kChain.size()) return fail(c, Msg::reg_access_denied);  // not modelled
  if (args.size() == 3 && !confirm(c, c.msg(Msg::reg_delete_prompt, {k.display})))
    return 1;  // ASSUMED: answering No changes nothing and reports failure
  bool deleted = false;
  c.modify_state([&](NodeState& s) {
    auto& jobs = s.registry_jobs;
    auto it = std::find_if(jobs.begin(), jobs.end(),
                           [&](const RegistryJob& j) { return iequals(j.id, k.job_id); });
    if (it == jobs.end()) return;  // deleted meanwhile by another command
    jobs.erase(it);
    deleted = true;
  });
  if (!deleted) return fail(c, Msg::reg_not_found);
  c.out_line(c.msg(Msg::reg_success));
  return 0;
}

// `text` cut at every occurrence of `sep`; an empty text has no entries.
std::vector<std::string> split_literal(const std::string& text, const std::string& sep) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  size_t from = 0;
  for (size_t at; (at = text.find(sep, from)) != std::string::npos; from = at + sep.size())
    out.push_back(text.substr(from, at - from));
  out.push_back(text.substr(from));
  return out;
}

std::string reg_escape(const std::string& v) {
  std::string out;
  for (char ch : v) {
    if (ch == '\\' || ch == '"') out += '\\';
    out += ch;
  }
  return out;
}

// A REG_MULTI_SZ as regedit and reg export write it: hex(7): and the UTF-16LE bytes of
// each entry and its NUL, then the closing NUL, as "xx," wrapped before 80 columns
// ("\" then CRLF and two blanks; the rule of Wine's regedit export_hex_data).
std::string multi_sz_export(const std::string& name_part, const std::vector<std::string>& data) {
  std::string bytes;
  for (const auto& entry : data) bytes += utf8_to_utf16le(entry) + std::string(2, '\0');
  bytes += std::string(2, '\0');
  std::string out = "hex(7):";
  size_t line_len = name_part.size() + out.size();
  constexpr size_t kMaxHexChars = 77;
  static const char* kHex = "0123456789abcdef";
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    out += kHex[b >> 4];
    out += kHex[b & 15];
    if (i + 1 == bytes.size()) break;
    out += ',';
    line_len += 3;
    if (line_len >= kMaxHexChars) {
      out += "\\\r\n  ";
      line_len = 2;
    }
  }
  return out;
}

std::string export_value(const RegValue& v) {
  std::string name_part = "\"" + reg_escape(v.name) + "\"=";
  if (v.type == "REG_MULTI_SZ") return name_part + multi_sz_export(name_part, v.data);
  return name_part + "\"" + reg_escape(v.data.at(0)) + "\"";
}

void export_recursive(std::string& text, const KeyRef& k, const NodeState& s) {
  text += "[" + canonical_path(k.depth, k.job_id) + "]\r\n";
  if (k.depth > kChain.size())
    for (const auto& v : job_values(*find_job(s, k.job_id))) text += export_value(v) + "\r\n";
  text += "\r\n";
  for (const auto& sub : subkeys(k, s)) {
    KeyRef child = k;
    ++child.depth;
    if (child.depth > kChain.size()) child.job_id = sub;
    export_recursive(text, child, s);
  }
}

int reg_export(CommandContext& c, const std::vector<std::string>& args) {
  if (args.size() < 4 || args.size() > 5 || (args.size() == 5 && !iequals(args[4], "/y")))
    return fail(c, Msg::reg_invalid_syntax, " EXPORT");
  KeyRef k = parse_key(args[2], c.state());
  if (!k.valid_name) return fail(c, Msg::reg_invalid_key, " EXPORT");
  if (!k.exists) return fail(c, Msg::reg_not_found);
  std::string file = c.session.absolute(args[3]);
  auto host = host_path(c.session.node_dir, file);
  if (!host || !std::filesystem::is_directory(std::filesystem::path(*host).parent_path())) {
    c.err_line("ERROR: " + c.msg(Msg::path_not_found));
    return 1;
  }
  if (std::filesystem::exists(*host) && args.size() == 4 &&
      !confirm(c, c.msg(Msg::reg_overwrite_file_prompt, {args[3]})))
    return 1;
  std::string text = "Windows Registry Editor Version 5.00\r\n\r\n";
  export_recursive(text, k, c.state());
  write_file_atomically(*host, std::string("\xFF\xFE", 2) + utf8_to_utf16le(text));
  c.out_line(c.msg(Msg::reg_success));
  return 0;
}

// `reg add KEY [/v NAME] [/t TYPE] [/d DATA] [/f]` on a job key; a REG_MULTI_SZ's
// entries are separated by a literal "\0" in DATA (reg add's default separator).
int reg_add(CommandContext& c, const std::vector<std::string>& args) {
  if (args.size() < 3) return fail(c, Msg::reg_invalid_syntax, " ADD");
  std::string name, type = "REG_SZ", data;
  bool has_name = false, force = false;
  for (size_t i = 3; i < args.size(); ++i) {
    bool more = i + 1 < args.size();
    if (iequals(args[i], "/f")) {
      force = true;
    } else if (iequals(args[i], "/v") && more) {
      name = args[++i];
      has_name = true;
    } else if (iequals(args[i], "/t") && more) {
      type = to_upper(args[++i]);
    } else if (iequals(args[i], "/d") && more) {
      data = args[++i];
    } else {
      return fail(c, Msg::reg_invalid_syntax, " ADD");
    }
  }
  KeyRef k = parse_key(args[2], c.state());
  if (!k.valid_name) return fail(c, Msg::reg_invalid_key, " ADD");
  bool job_key = k.depth == kChain.size() + 1 &&
                 (k.exists || parse_key(canonical_path(kChain.size(), ""), c.state()).exists);
  if (!job_key) return fail(c, Msg::reg_access_denied);  // outside the modelled keys
  std::string value_type = modelled_type(name);
  if (has_name && value_type.empty()) return fail(c, Msg::reg_access_denied);  // not modelled
  if (has_name && type != value_type) return fail(c, Msg::reg_invalid_syntax, " ADD");
  if (has_name && k.exists && !force && !confirm(c, c.msg(Msg::reg_overwrite_value_prompt, {name})))
    return 1;
  c.modify_state([&](NodeState& s) {
    auto it = std::find_if(s.registry_jobs.begin(), s.registry_jobs.end(),
                           [&](const RegistryJob& j) { return iequals(j.id, k.job_id); });
    if (it == s.registry_jobs.end()) {
      s.registry_jobs.push_back(RegistryJob{k.job_id, "", "", {}});
      it = std::prev(s.registry_jobs.end());
    }
    if (!has_name) return;
    if (iequals(name, "Name")) it->name = data;
    if (iequals(name, "Description")) it->description = data;
    if (iequals(name, "Endpoints")) it->endpoints = split_literal(data, "\\0");
  });
  c.out_line(c.msg(Msg::reg_success));
  return 0;
}

}  // namespace

int win_reg(CommandContext& c) {
  const auto& a = c.argv;
  if (a.size() < 2) return fail(c, Msg::reg_invalid_syntax, "");
  std::string op = to_lower(a[1]);
  if (op == "query") return reg_query(c, a);
  if (op == "delete") return reg_delete(c, a);
  if (op == "export") return reg_export(c, a);
  if (op == "add") return reg_add(c, a);
  return fail(c, Msg::reg_invalid_syntax, "");
}

}  // namespace lab
