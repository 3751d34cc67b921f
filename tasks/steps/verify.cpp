#include "tasks/steps/verify.h"

#include <algorithm>
#include <set>

#include "tasks/parsers/text_lines.h"
#include "tasks/replaced_refs.h"

namespace lkr::tasks::verify {
namespace {

struct Judge {
  std::string replaced;
  std::set<std::string> addresses;    // R's, before and now
  std::vector<std::string> mirrored;  // volumes mirrored with R, before and now
  bool resources_purged = false;
  bool multitarget_allowed = false;
};

bool is_mirrored(const Judge& j, const std::string& volume) {
  return std::any_of(j.mirrored.begin(), j.mirrored.end(),
                     [&](const std::string& v) { return same_system(v, volume); });
}

// Every configuration item of `f` that does not refer to R, as one line each.
std::multiset<std::string> kept_items(const NodeFacts& f, const Judge& j) {
  std::multiset<std::string> items;
  items.insert("local system " + f.local_system);
  for (const auto& s : f.systems)
    if (!same_system(s, j.replaced)) items.insert("system " + s);
  // --purge-resources removes every resource instance, and an equivalency goes with its
  // resource: between survivors too (a three-node cluster), so neither is compared then.
  for (const auto& e : f.equivalencies)
    if (!names_replaced(e, j.replaced) && !j.resources_purged)
      items.insert("equivalency " + e.system + "/" + e.tag + " <-> " + e.other_system + "/" +
                   e.other_tag + " " + e.type + " " + std::to_string(e.priority) + "/" +
                   std::to_string(e.other_priority));
  for (const auto& p : f.comm_paths)
    if (!names_replaced(p, j.replaced))
      items.insert("comm path " + p.device + " " + p.local_address + " -> " + p.other_system + " " +
                   p.remote_address + " priority " + std::to_string(p.priority));
  if (!j.resources_purged)
    for (const auto& r : f.resources)
      items.insert("resource " + r.tag + " (" + r.app + "/" + r.type + " " + r.id + ")");
  for (const auto& v : f.volumes) {
    for (const auto& job : v.jobs)
      if (!names_replaced(job, j.replaced))
        items.insert("job " + job.id + " on volume " + v.volume);
    bool released = j.multitarget_allowed && is_mirrored(j, v.volume);
    for (const auto& m : v.mirrors)
      if (!mirrors_to(m, j.replaced, j.addresses) && !released)
        items.insert("mirror of volume " + v.volume + " with " + m.other_system + " " + m.other_ip +
                     " (role " + std::to_string(m.role) + ")");
    if (v.lkdrinfo_present && !is_mirrored(j, v.volume)) items.insert("LKDRInfo." + v.volume);
  }
  return items;
}

void append_difference(const std::multiset<std::string>& a, const std::multiset<std::string>& b,
                       const std::string& what, std::vector<std::string>& problems) {
  std::vector<std::string> only_in_a;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_in_a));
  for (const auto& item : only_in_a) problems.push_back(item + " " + what);
}

}  // namespace

std::vector<std::string> nothing_remains(const NodeFacts& now, const std::string& replaced) {
  std::set<std::string> addresses = replaced_addresses(now, replaced);
  return remaining_references(now, replaced, addresses,
                              volumes_mirrored_with(now, replaced, addresses));
}

std::vector<std::string> verify(const NodeFacts& before, const NodeFacts& now,
                                const std::string& replaced, bool resources_purged,
                                bool multitarget_allowed) {
  Judge j{
      replaced, replaced_addresses(before, replaced), {}, resources_purged, multitarget_allowed};
  for (const auto& a : replaced_addresses(now, replaced)) j.addresses.insert(a);
  j.mirrored = volumes_mirrored_with(before, replaced, j.addresses);
  for (const auto& v : volumes_mirrored_with(now, replaced, j.addresses)) j.mirrored.push_back(v);
  std::vector<std::string> problems = remaining_references(now, replaced, j.addresses, j.mirrored);
  std::multiset<std::string> was = kept_items(before, j), is = kept_items(now, j);
  append_difference(was, is, "was there before and is gone", problems);
  append_difference(is, was, "was not there before and appeared", problems);
  return problems;
}

}  // namespace lkr::tasks::verify
