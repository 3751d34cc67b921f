#include "tasks/steps/reextension_checklist.h"

#include <algorithm>

#include "tasks/assumed_formats.h"
#include "tasks/parsers/text_lines.h"
#include "tasks/replaced_refs.h"

namespace lkr::tasks::reextension_checklist {
namespace {

// The tag on the survivor's side of each equivalency with R.
std::vector<std::string> tags_equivalent_with(const NodeFacts& f, const std::string& replaced) {
  std::vector<std::string> tags;
  for (const Equivalency& e : f.equivalencies) {
    if (!names_replaced(e, replaced)) continue;
    tags.push_back(same_system(e.system, replaced) ? e.other_tag : e.tag);
  }
  return tags;
}

void add_hierarchy(Checklist& c, const std::string& survivor, const Resource& r) {
  auto it = std::find_if(c.hierarchies.begin(), c.hierarchies.end(),
                         [&](const HierarchyItem& h) { return h.tag == r.tag; });
  if (it == c.hierarchies.end()) {
    c.hierarchies.push_back(HierarchyItem{r.tag, r.app, r.type, r.id, {}, ""});
    it = c.hierarchies.end() - 1;
  }
  it->held_by.push_back(survivor);
  if (assumed::in_service(r.state)) it->in_service_on = survivor;
}

void add_mirrors(Checklist& c, const NodeFacts& f, const std::string& replaced) {
  for (const VolumeFacts& v : f.volumes)
    for (const Job& j : v.jobs)
      for (const MirrorEndpoint& e : j.endpoints) {
        // A job naming R is deleted whole (E7: it holds every pair): every tuple of it,
        // those between survivors too, is re-created.
        if (!names_replaced(j, replaced)) continue;
        MirrorItem m{j.name,
                     e.source_volume,
                     e.source,
                     e.source_ip,
                     e.target,
                     e.target_ip,
                     e.mode,
                     j.id,
                     !names_replaced(e, replaced)};
        if (std::find(c.mirrors.begin(), c.mirrors.end(), m) == c.mirrors.end())
          c.mirrors.push_back(m);
      }
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

Checklist build(const std::vector<SurvivorFacts>& survivors, const std::string& replaced) {
  Checklist c;
  c.replaced = replaced;
  for (const auto& [system, f] : survivors) {
    std::vector<std::string> tags = tags_equivalent_with(f, replaced);
    for (const Resource& r : f.resources)
      if (std::find(tags.begin(), tags.end(), r.tag) != tags.end()) add_hierarchy(c, system, r);
    for (const CommPath& p : f.comm_paths) {
      if (!names_replaced(p, replaced)) continue;
      bool reversed = same_system(p.system, replaced);
      CommPathItem item{system, reversed ? p.remote_address : p.local_address,
                        reversed ? p.local_address : p.remote_address, p.priority, p.device};
      if (std::find(c.comm_paths.begin(), c.comm_paths.end(), item) == c.comm_paths.end())
        c.comm_paths.push_back(item);
    }
    add_mirrors(c, f, replaced);
  }
  return c;
}

namespace {

template <typename Item>
void add_missing(std::vector<Item>& into, const std::vector<Item>& from) {
  for (const Item& item : from)
    if (std::find(into.begin(), into.end(), item) == into.end()) into.push_back(item);
}

}  // namespace

void merge(Checklist& into, const Checklist& from) {
  for (const HierarchyItem& h : from.hierarchies) {
    auto it = std::find_if(into.hierarchies.begin(), into.hierarchies.end(),
                           [&](const HierarchyItem& x) { return x.tag == h.tag; });
    if (it == into.hierarchies.end()) {
      into.hierarchies.push_back(h);
      continue;
    }
    add_missing(it->held_by, h.held_by);
    if (it->in_service_on.empty()) it->in_service_on = h.in_service_on;
  }
  add_missing(into.comm_paths, from.comm_paths);
  add_missing(into.mirrors, from.mirrors);
}

Checklist from_json(const nlohmann::json& j) {
  Checklist c;
  c.replaced = j.at("replaced").get<std::string>();
  for (const auto& h : j.at("hierarchies"))
    c.hierarchies.push_back(HierarchyItem{h.at("tag"), h.at("app"), h.at("type"), h.at("id"),
                                          h.at("held_by"), h.at("in_service_on")});
  for (const auto& p : j.at("comm_paths"))
    c.comm_paths.push_back(CommPathItem{p.at("system"), p.at("localaddr"), p.at("remoteaddr"),
                                        p.at("priority"), p.at("device")});
  for (const auto& m : j.at("mirrors"))
    c.mirrors.push_back(MirrorItem{m.at("job_name"), m.at("volume"), m.at("source"),
                                   m.at("source_ip"), m.at("target"), m.at("target_ip"),
                                   m.at("mode"), m.at("job_id"), m.at("between_survivors")});
  return c;
}

std::vector<std::string> lines(const Checklist& c) {
  std::vector<std::string> out;
  out.push_back("1. Close and restart the LifeKeeper GUI on every server.");
  out.push_back("2. Create the communication paths to " + c.replaced + " again:");
  for (const auto& p : c.comm_paths)
    out.push_back("   - " + p.system + " " + p.local_address + " <-> " + c.replaced + " " +
                  p.remote_address + " device " + p.device + " (priority " +
                  std::to_string(p.priority) + ")");
  out.push_back("3. Extend these resources' hierarchies to " + c.replaced +
                " again, from the server where each is in service:");
  for (const auto& h : c.hierarchies)
    out.push_back("   - " + h.tag + " (" + h.app + "/" + h.type + " " + h.id + "), in service on " +
                  (h.in_service_on.empty() ? "no server" : h.in_service_on) + "; held by " +
                  joined(h.held_by));
  out.push_back(
      "4. Recreate the DataKeeper jobs and mirrors (mirror resources), every pair listed; "
      "pairs between survivors were in a deleted job:");
  for (const auto& m : c.mirrors)
    out.push_back("   - job " + m.job_id + " volume " + m.volume + " \"" + m.job_name +
                  "\": " + (m.between_survivors ? "[between survivors] " : "") + m.source + " " +
                  m.source_ip + " -> " + m.target + " " + m.target_ip + " mode " + m.mode +
                  (m.mode == "S"   ? " (sync)"
                   : m.mode == "A" ? " (async)"
                                   : ""));
  return out;
}

nlohmann::json to_json(const Checklist& c) {
  nlohmann::json j;
  j["replaced"] = c.replaced;
  j["hierarchies"] = nlohmann::json::array();
  for (const auto& h : c.hierarchies)
    j["hierarchies"].push_back({{"tag", h.tag},
                                {"app", h.app},
                                {"type", h.type},
                                {"id", h.id},
                                {"held_by", h.held_by},
                                {"in_service_on", h.in_service_on}});
  j["comm_paths"] = nlohmann::json::array();
  for (const auto& p : c.comm_paths)
    j["comm_paths"].push_back({{"system", p.system},
                               {"localaddr", p.local_address},
                               {"othersystem", c.replaced},
                               {"remoteaddr", p.remote_address},
                               {"priority", p.priority},
                               {"device", p.device}});
  j["mirrors"] = nlohmann::json::array();
  for (const auto& m : c.mirrors)
    j["mirrors"].push_back({{"job_name", m.job_name},
                            {"volume", m.volume},
                            {"source", m.source},
                            {"source_ip", m.source_ip},
                            {"target", m.target},
                            {"target_ip", m.target_ip},
                            {"mode", m.mode},
                            {"job_id", m.job_id},
                            {"between_survivors", m.between_survivors}});
  return j;
}

}  // namespace lkr::tasks::reextension_checklist
