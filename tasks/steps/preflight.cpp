#include "tasks/steps/preflight.h"

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

}  // namespace

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
  return {replaced + " still holds " + text + ": this is not a reinstalled node"};
}

}  // namespace lkr::tasks::preflight
