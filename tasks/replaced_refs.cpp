#include "tasks/replaced_refs.h"

#include <algorithm>

#include "tasks/assumed_formats.h"
#include "tasks/parsers/text_lines.h"

namespace lkr::tasks {
namespace {

void add_once(std::vector<std::string>& list, const std::string& name) {
  for (const auto& n : list)
    if (same_system(n, name)) return;
  list.push_back(name);
}

bool contains_volume(const std::vector<std::string>& volumes, const std::string& v) {
  return std::any_of(volumes.begin(), volumes.end(),
                     [&](const std::string& x) { return same_system(x, v); });
}

}  // namespace

bool names_replaced(const Equivalency& e, const std::string& replaced) {
  return same_system(e.system, replaced) || same_system(e.other_system, replaced);
}

bool names_replaced(const CommPath& p, const std::string& replaced) {
  return same_system(p.system, replaced) || same_system(p.other_system, replaced);
}

bool names_replaced(const MirrorEndpoint& e, const std::string& replaced) {
  return same_system(e.source, replaced) || same_system(e.target, replaced);
}

bool names_replaced(const Job& j, const std::string& replaced) {
  return std::any_of(j.endpoints.begin(), j.endpoints.end(),
                     [&](const MirrorEndpoint& e) { return names_replaced(e, replaced); });
}

bool lists_replaced(const NodeFacts& f, const std::string& replaced) {
  return std::any_of(f.systems.begin(), f.systems.end(),
                     [&](const std::string& s) { return same_system(s, replaced); });
}

std::set<std::string> replaced_addresses(const NodeFacts& f, const std::string& replaced) {
  std::set<std::string> addresses;
  for (const VolumeFacts& v : f.volumes)
    for (const Job& j : v.jobs)
      for (const MirrorEndpoint& e : j.endpoints) {
        if (same_system(e.source, replaced)) addresses.insert(e.source_ip);
        if (same_system(e.target, replaced)) addresses.insert(e.target_ip);
      }
  for (const CommPath& p : f.comm_paths) {
    if (same_system(p.other_system, replaced)) addresses.insert(p.remote_address);
    if (same_system(p.system, replaced)) addresses.insert(p.local_address);
  }
  return addresses;
}

bool mirrors_to(const MirrorLine& m, const std::string& replaced,
                const std::set<std::string>& addresses) {
  return same_system(m.other_system, replaced) || addresses.count(m.other_ip) > 0;
}

std::vector<std::string> volumes_mirrored_with(const NodeFacts& f, const std::string& replaced,
                                               const std::set<std::string>& addresses) {
  std::vector<std::string> volumes;
  for (const VolumeFacts& v : f.volumes) {
    bool job = std::any_of(v.jobs.begin(), v.jobs.end(),
                           [&](const Job& j) { return names_replaced(j, replaced); });
    bool mirror = std::any_of(v.mirrors.begin(), v.mirrors.end(), [&](const MirrorLine& m) {
      return mirrors_to(m, replaced, addresses);
    });
    if (job || mirror) add_once(volumes, v.volume);
  }
  for (const Resource& r : f.resources) {
    if (r.app != assumed::kVolumeApp || r.type != assumed::kVolumeType) continue;
    auto drive = assumed::drive_of_volume_id(r.id);
    if (!drive) continue;  // gather_facts refused such an id already
    for (const Equivalency& e : f.equivalencies)
      if (names_replaced(e, replaced) && (e.tag == r.tag || e.other_tag == r.tag))
        add_once(volumes, *drive);
  }
  return volumes;
}

std::vector<std::string> other_systems_of(const Job& j, const std::string& local,
                                          const std::string& replaced) {
  std::vector<std::string> others;
  for (const MirrorEndpoint& e : j.endpoints)
    for (const std::string* s : {&e.source, &e.target})
      if (!same_system(*s, local) && !same_system(*s, replaced)) add_once(others, *s);
  return others;
}

std::vector<std::string> datakeeper_references(const NodeFacts& f, const std::string& replaced,
                                               const std::set<std::string>& addresses) {
  std::vector<std::string> left;
  for (const VolumeFacts& v : f.volumes) {
    for (const Job& j : v.jobs)
      if (names_replaced(j, replaced))
        left.push_back("DataKeeper job " + j.id + " on volume " + v.volume + " remains");
    for (const MirrorLine& m : v.mirrors)
      if (mirrors_to(m, replaced, addresses))
        left.push_back("mirror of volume " + v.volume + " with " + m.other_system + " " +
                       m.other_ip + " remains");
  }
  return left;
}

std::vector<std::string> remaining_references(const NodeFacts& f, const std::string& replaced,
                                              const std::set<std::string>& addresses,
                                              const std::vector<std::string>& mirrored_volumes) {
  std::vector<std::string> left;
  if (lists_replaced(f, replaced)) left.push_back("sys_list still lists " + replaced);
  for (const Equivalency& e : f.equivalencies)
    if (names_replaced(e, replaced))
      left.push_back("equivalency " + e.system + "/" + e.tag + " <-> " + e.other_system + "/" +
                     e.other_tag + " remains");
  for (const CommPath& p : f.comm_paths)
    if (names_replaced(p, replaced))
      left.push_back("comm path " + p.device + " " + p.local_address + " -> " + p.other_system +
                     " " + p.remote_address + " remains");
  for (const auto& d : datakeeper_references(f, replaced, addresses)) left.push_back(d);
  for (const VolumeFacts& v : f.volumes) {
    if (v.lkdrinfo_present && contains_volume(mirrored_volumes, v.volume))
      left.push_back("LKDRInfo." + v.volume + " remains");
  }
  return left;
}

}  // namespace lkr::tasks
