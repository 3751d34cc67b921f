// LifeKeeper's configuration-database commands (RUNBOOK steps 1-3 and 6-8, "Additional").
// Every one changes the IN-MEMORY database only; lcdsync writes memory to disk.
// Exit codes (E13): 0 ok, 2 syntax, 7 no such object, 9 other system unreachable; a
// refusal the record gives no code for (error 424, a system still in use) exits 1.
#include <unistd.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "tests/lab/node/commands.h"
#include "tests/lab/node/lk_records.h"
#include "tests/lab/node/text_util.h"

namespace lab {
namespace {

// E13's exit codes, and ours for refusals it does not name.
constexpr int kRcSyntax = 2;
constexpr int kRcNoSuchObject = 7;
constexpr int kRcUnreachable = 9;
constexpr int kRcRefused = 1;  // ASSUMED: error 424 (local system), 426 (system in use)

struct Synopsis {
  const char* name;
  const char* options;  // getopt style: "d:s:" (':' = takes a value)
  const char* text;     // the runbook's synopsis
};

const Synopsis kEqvList{"eqv_list",
                        "d:s:t:e:f:", "eqv_list [-d destsys] [-s sys] [-t tag] [-e SHARED] [-fC]"};
const Synopsis kEqvRemove{
    "eqv_remove", "d:s:t:S:o:e:",
    "eqv_remove [-d destsys] [-s sys] -t tag [-S othersys] -o othertag [-e SHARED]"};
const Synopsis kSysList{"sys_list", "d:", "sys_list [-d destsys]"};
const Synopsis kSysRemove{"sys_remove", "d:s:", "sys_remove [-d destsys] -s sys"};
const Synopsis kNetList{"net_list", "d:f:", "net_list [-d destsys] [-fC]"};
// E3 (net_create's identifying flags), E4 (LifeKeeper for Linux's net_remove): -s names
// the other system, -D the device; there is no -S.
const Synopsis kNetRemove{
    "net_remove", "d:s:D:r:l:", "net_remove [-d destsys] -s sys -D device [-r raddr] [-l laddr]"};
const Synopsis kLcdsync{"lcdsync", "d:", "lcdsync [-d destname]"};
const Synopsis kInsList{
    "ins_list", "d:f:R:a:r:t:i:",
    "ins_list [-d destsys] [-fC] [-R top] [-a appname] [-r typ] [-t tag] [-i id]"};
const Synopsis kInsRemove{"ins_remove", "d:R:a:r:t:i:vING",
                          "ins_remove [-d destsys] [-R roottag] [-a appname] [-r restyp] [-t tag] "
                          "[-i id] [-v] [-I] [-N] [-G]"};

using Options = std::map<char, std::string>;

// getopt: "-xVALUE" or "-x VALUE" for options with a value, "-abc" for flags.
std::optional<Options> parse_options(const std::vector<std::string>& argv,
                                     const std::string& spec) {
  Options opts;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.size() < 2 || a[0] != '-') return std::nullopt;  // no positional arguments
    for (size_t k = 1; k < a.size(); ++k) {
      size_t at = spec.find(a[k]);
      if (at == std::string::npos || a[k] == ':') return std::nullopt;
      bool takes_value = at + 1 < spec.size() && spec[at + 1] == ':';
      if (!takes_value) {
        opts[a[k]] = "";
        continue;
      }
      if (k + 1 < a.size()) {
        opts[a[k]] = a.substr(k + 1);
      } else if (i + 1 < argv.size()) {
        opts[a[k]] = argv[++i];
      } else {
        return std::nullopt;
      }
      break;
    }
  }
  return opts;
}

int usage(CommandContext& c, const Synopsis& s) {
  c.err_line(c.msg(Msg::lk_usage, {s.text}));
  return kRcSyntax;
}

int lk_fail(CommandContext& c, const Synopsis& s, Msg id, const std::vector<std::string>& args,
            int rc) {
  c.err(lk_error(id, c.japanese(), s.name, static_cast<int>(::getpid()), args));
  return rc;
}

// Parses the options, checks the required ones and -d; nullopt when it already answered.
std::optional<Options> begin(CommandContext& c, const Synopsis& s,
                             std::initializer_list<char> required, int& rc) {
  auto opts = parse_options(c.argv, s.options);
  bool missing = opts && std::any_of(required.begin(), required.end(),
                                     [&](char r) { return !opts->count(r); });
  if (!opts || missing) {
    rc = usage(c, s);
    return std::nullopt;
  }
  if (opts->count('f') && opts->at('f').empty()) {
    rc = usage(c, s);
    return std::nullopt;
  }
  if (opts->count('d') && !iequals(opts->at('d'), c.state().system)) {
    // The lab serves only the local database; another system is never reachable here.
    rc = lk_fail(c, s, Msg::lk_unreachable, {opts->at('d')}, kRcUnreachable);
    return std::nullopt;
  }
  return opts;
}

// Ctrl-A unless -fC (E1).
std::string separator(const Options& o) { return o.count('f') ? o.at('f') : kLcdSeparator; }

bool matches(const Options& o, char key, const std::string& value) {
  return !o.count(key) || o.at(key) == value;
}

// -i matches the id as ins_list prints it ("E:" for a volume, E8).
bool resource_selected(const Options& o, const Resource& r, const RecordFormats& f) {
  return matches(o, 'R', r.tag) && matches(o, 'a', r.app) && matches(o, 'r', r.type) &&
         matches(o, 't', r.tag) && matches(o, 'i', printed_resource_id(r, f));
}

// A list command's exit code: 0, or the cluster's empty_list_rc when it printed nothing
// (UNKNOWN in the record: 7 or 0).
int list_rc(const CommandContext& c, size_t lines) {
  return lines > 0 ? 0 : c.state().formats.empty_list_rc;
}

std::string selection_text(const Options& o) {
  std::string out;
  for (char k : {'R', 'a', 'r', 't', 'i'})
    if (o.count(k)) out += std::string(out.empty() ? "" : " ") + "-" + k + " \"" + o.at(k) + "\"";
  return out;
}

}  // namespace

int lk_eqv_list(CommandContext& c) {
  int rc = 0;
  auto o = begin(c, kEqvList, {}, rc);
  if (!o) return rc;
  std::string sep = separator(*o);
  size_t lines = 0;
  for (const auto& e : c.state().in_memory.equivalencies) {
    if (!matches(*o, 's', e.sys) || !matches(*o, 't', e.tag) ||
        (o->count('e') && !iequals(o->at('e'), e.type)))
      continue;
    c.out_line(eqv_record(e, sep));
    ++lines;
  }
  return list_rc(c, lines);
}

int lk_eqv_remove(CommandContext& c) {
  int rc = 0;
  auto o = begin(c, kEqvRemove, {'t', 'o'}, rc);
  if (!o) return rc;
  std::string sys = o->count('s') ? o->at('s') : c.state().system;
  std::string type = o->count('e') ? o->at('e') : "SHARED";
  auto selected = [&](const Equivalency& e) {
    return e.sys == sys && e.tag == o->at('t') && matches(*o, 'S', e.othersys) &&
           e.othertag == o->at('o') && iequals(e.type, type);
  };
  bool found = false;
  c.modify_state([&](NodeState& s) {
    auto& eqvs = s.in_memory.equivalencies;
    found = std::any_of(eqvs.begin(), eqvs.end(), selected);
    eqvs.erase(std::remove_if(eqvs.begin(), eqvs.end(), selected), eqvs.end());
  });
  if (!found)
    return lk_fail(c, kEqvRemove, Msg::lk_eqv_not_found,
                   {sys, o->at('t'), o->count('S') ? o->at('S') : "*", o->at('o'), type},
                   kRcNoSuchObject);
  return 0;
}

int lk_sys_list(CommandContext& c) {
  int rc = 0;
  if (!begin(c, kSysList, {}, rc)) return rc;
  for (const auto& s : c.state().in_memory.systems) c.out_line(s);
  return 0;
}

int lk_sys_remove(CommandContext& c) {
  int rc = 0;
  auto o = begin(c, kSysRemove, {'s'}, rc);
  if (!o) return rc;
  const std::string target = o->at('s');
  if (iequals(target, c.state().system))
    return lk_fail(c, kSysRemove, Msg::lk_cannot_remove_local, {target}, kRcRefused);
  std::optional<Msg> refusal;
  size_t references = 0;
  c.modify_state([&](NodeState& s) {
    auto& systems = s.in_memory.systems;
    auto it = std::find(systems.begin(), systems.end(), target);
    if (it == systems.end()) {
      refusal = Msg::lk_sys_not_found;
      return;
    }
    references = std::count_if(
        s.in_memory.equivalencies.begin(), s.in_memory.equivalencies.end(),
        [&](const Equivalency& e) { return e.sys == target || e.othersys == target; });
    if (references > 0) {
      refusal = Msg::lk_sys_in_use;
      return;
    }
    systems.erase(it);
  });
  if (refusal)
    return lk_fail(c, kSysRemove, *refusal, {target, std::to_string(references)},
                   *refusal == Msg::lk_sys_not_found ? kRcNoSuchObject : kRcRefused);
  c.session.entered_window = true;
  return 0;
}

int lk_net_list(CommandContext& c) {
  int rc = 0;
  auto o = begin(c, kNetList, {}, rc);
  if (!o) return rc;
  std::string sep = separator(*o);
  const auto& paths = c.state().in_memory.comm_paths;
  for (const auto& p : paths) c.out_line(net_record(p, c.state().formats, sep));
  return list_rc(c, paths.size());
}

// Removes the local database's path(s) to -s on device -D (and -r/-l when given).
int lk_net_remove(CommandContext& c) {
  int rc = 0;
  auto o = begin(c, kNetRemove, {'s', 'D'}, rc);
  if (!o) return rc;
  auto selected = [&](const CommPath& p) {
    return p.othersystem == o->at('s') && p.device == o->at('D') &&
           matches(*o, 'r', p.remoteaddr) && matches(*o, 'l', p.localaddr);
  };
  bool found = false;
  c.modify_state([&](NodeState& s) {
    auto& paths = s.in_memory.comm_paths;
    found = std::any_of(paths.begin(), paths.end(), selected);
    paths.erase(std::remove_if(paths.begin(), paths.end(), selected), paths.end());
  });
  if (!found)
    return lk_fail(c, kNetRemove, Msg::lk_net_not_found,
                   {c.state().system, o->at('s'), o->at('D'),
                    (o->count('l') ? o->at('l') : "*") + "/" + (o->count('r') ? o->at('r') : "*")},
                   kRcNoSuchObject);
  c.session.entered_window = true;
  return 0;
}

int lk_lcdsync(CommandContext& c) {
  int rc = 0;
  if (!begin(c, kLcdsync, {}, rc)) return rc;
  c.modify_state([](NodeState& s) { s.on_disk = s.in_memory; });
  c.session.left_window = true;
  return 0;
}

int lk_ins_list(CommandContext& c) {
  int rc = 0;
  auto o = begin(c, kInsList, {}, rc);
  if (!o) return rc;
  std::string sep = separator(*o);
  const RecordFormats& f = c.state().formats;
  size_t lines = 0;
  for (const auto& r : c.state().in_memory.resources) {
    if (!resource_selected(*o, r, f)) continue;
    c.out_line(ins_record(r, f, sep));
    ++lines;
  }
  return list_rc(c, lines);
}

int lk_ins_remove(CommandContext& c) {
  int rc = 0;
  auto o = begin(c, kInsRemove, {}, rc);
  if (!o) return rc;
  if (selection_text(*o).empty()) return usage(c, kInsRemove);  // never "remove everything"
  bool found = false;
  c.modify_state([&](NodeState& s) {
    auto& res = s.in_memory.resources;
    std::set<std::string> removed;
    for (const auto& r : res)
      if (resource_selected(*o, r, s.formats)) removed.insert(r.tag);
    found = !removed.empty();
    res.erase(std::remove_if(res.begin(), res.end(),
                             [&](const Resource& r) { return removed.count(r.tag) > 0; }),
              res.end());
    // An instance's equivalencies go with it.
    auto& eqvs = s.in_memory.equivalencies;
    eqvs.erase(std::remove_if(eqvs.begin(), eqvs.end(),
                              [&](const Equivalency& e) {
                                return e.sys == s.system && removed.count(e.tag) > 0;
                              }),
               eqvs.end());
  });
  if (!found)
    return lk_fail(c, kInsRemove, Msg::lk_ins_not_found, {selection_text(*o)}, kRcNoSuchObject);
  return 0;
}

}  // namespace lab
