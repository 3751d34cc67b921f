#include "tasks/steps/preflight.h"

#include <algorithm>
#include <cctype>

#include "tasks/parsers/text_lines.h"
#include "tasks/replaced_refs.h"

namespace lkr::tasks::preflight {
namespace {

std::string count_of(std::size_t n, const char* what) { return std::to_string(n) + " " + what; }

// UTF-8 text as code points (invalid bytes stand for themselves).
std::u32string code_points(const std::string& s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len > s.size()) len = 1;
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

// What `name` looks like on a node whose code page cannot show some of its characters:
// Windows prints '?' for each. True when `seen` is such a form of `name` (and not the
// name itself): then nothing on that node can be matched to the name safely.
bool lossy_form_of(const std::string& seen, const std::string& name) {
  std::u32string a = code_points(seen), b = code_points(name);
  if (a.size() != b.size() || a == b) return false;
  bool replaced_any = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i] ||
        (a[i] < 0x80 && b[i] < 0x80 &&
         std::tolower(static_cast<int>(a[i])) == std::tolower(static_cast<int>(b[i]))))
      continue;
    if (a[i] != U'?' || b[i] < 0x80) return false;
    replaced_any = true;
  }
  return replaced_any;
}

// Every system name the node's listings show.
std::vector<std::string> names_seen(const NodeFacts& f) {
  std::vector<std::string> out = f.systems;
  for (const auto& e : f.equivalencies) out.push_back(e.other_system);
  for (const auto& p : f.comm_paths) out.push_back(p.other_system);
  for (const auto& v : f.volumes)
    for (const auto& j : v.jobs)
      for (const auto& ep : j.endpoints) {
        out.push_back(ep.source);
        out.push_back(ep.target);
      }
  return out;
}

// Every name a node's lists show: systems, tags, job names, mirror partners.
std::vector<std::string> every_name(const NodeFacts& f) {
  std::vector<std::string> out = names_seen(f);
  for (const auto& e : f.equivalencies) {
    out.push_back(e.tag);
    out.push_back(e.other_tag);
  }
  for (const auto& r : f.resources) out.push_back(r.tag);
  for (const auto& j : f.registry_jobs) out.push_back(j.name);
  for (const auto& v : f.volumes)
    for (const auto& m : v.mirrors) out.push_back(m.other_system);
  return out;
}

// A name the code page damaged: Windows prints '?' for a character the console's code
// page cannot show, and the decoder keeps a byte it cannot decode (a lone Shift_JIS
// lead byte) as the text \xNN. Either way the name on the node is not the name we read.
bool damaged(const std::string& name) {
  if (name.find('?') != std::string::npos) return true;
  for (std::size_t at = name.find("\\x"); at != std::string::npos; at = name.find("\\x", at + 1))
    if (at + 3 < name.size() && std::isxdigit(static_cast<unsigned char>(name[at + 2])) &&
        std::isxdigit(static_cast<unsigned char>(name[at + 3])))
      return true;
  return false;
}

}  // namespace

std::vector<std::string> damaged_names(const NodeFacts& f) {
  std::vector<std::string> out;
  for (const auto& n : every_name(f))
    if (damaged(n) && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  return out;
}

Verdict check(const NodeFacts& f, const Host& host, const std::string& replaced) {
  Verdict v;
  if (!f.lifekeeper_answers) {
    v.refusals.push_back("LifeKeeper does not answer on " + host.name + ": " +
                         f.lifekeeper_problem);
    return v;
  }
  if (!same_system(f.local_system, host.system))
    v.refusals.push_back("inventory says " + host.system + ", node says " + f.local_system);
  if (same_system(f.local_system, replaced) || same_system(host.system, replaced))
    v.refusals.push_back(replaced +
                         " is this node's own system: the replaced node is never "
                         "cleaned, only the survivors are");
  for (const auto& seen : names_seen(f)) {
    if (!lossy_form_of(seen, replaced)) continue;
    v.refusals.push_back("this node shows \"" + seen + "\" where " + replaced +
                         " is expected: its code page cannot show every character of the name, "
                         "so nothing of it can be matched safely; set lk_codepage to one that can "
                         "(e.g. 65001) or clean this node by hand");
    break;
  }
  std::vector<std::string> damaged_list = damaged_names(f);
  if (!damaged_list.empty()) {
    std::string shown;
    for (std::size_t i = 0; i < damaged_list.size() && i < 10; ++i)
      shown += (shown.empty() ? "\"" : ", \"") + damaged_list[i] + "\"";
    if (damaged_list.size() > 10)
      shown += " and " + std::to_string(damaged_list.size() - 10) + " more";
    v.refusals.push_back(
        "the node's lists show names its console code page could not carry (" + shown +
        "): a '?' or \\xNN stands where a character was lost, so these cannot be matched "
        "or removed safely and nothing was changed; clean them by hand in the LifeKeeper "
        "GUI, or set the node's system locale to one whose code page holds every "
        "character of the names, then re-run");
  }
  if (!v.refusals.empty()) return v;
  std::set<std::string> addresses = replaced_addresses(f, replaced);
  v.already_clean =
      remaining_references(f, replaced, addresses, volumes_mirrored_with(f, replaced, addresses))
          .empty();
  return v;
}

std::vector<std::string> check_replaced_is_fresh(const NodeFacts& f, const std::string& replaced) {
  if (!f.lifekeeper_answers)
    return {replaced + ": LifeKeeper does not answer: " + f.lifekeeper_problem};
  std::vector<std::string> held;
  if (!same_system(f.local_system, replaced))
    held.push_back("inventory says " + replaced + ", node says " + f.local_system);
  std::size_t others = 0;
  for (const auto& s : f.systems) others += same_system(s, replaced) ? 0 : 1;
  if (others > 0) held.push_back(count_of(others, "other systems in sys_list"));
  if (!f.resources.empty()) held.push_back(count_of(f.resources.size(), "resources"));
  if (!f.equivalencies.empty()) held.push_back(count_of(f.equivalencies.size(), "equivalencies"));
  if (!f.comm_paths.empty()) held.push_back(count_of(f.comm_paths.size(), "comm paths"));
  std::size_t jobs = 0;
  for (const auto& v : f.volumes) jobs += v.jobs.size();
  if (jobs > 0) held.push_back(count_of(jobs, "DataKeeper jobs"));
  if (held.empty()) return {};
  std::string text;
  for (const auto& h : held) text += (text.empty() ? "" : " / ") + h;
  return {replaced + " still holds " + text + ": this is not a freshly reinstalled node"};
}

}  // namespace lkr::tasks::preflight
