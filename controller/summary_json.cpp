#include "controller/summary_json.h"

namespace lkr {

nlohmann::ordered_json summary_json(const RunSummary& s, const std::string& run_dir,
                                    int exit_code) {
  nlohmann::ordered_json out;
  out["exit_code"] = exit_code;
  out["interrupted"] = s.interrupted;
  out["run_dir"] = run_dir;
  out["clusters"] = nlohmann::ordered_json::array();
  for (const auto& c : s.clusters) {
    nlohmann::ordered_json j;
    j["name"] = c.name;
    j["replaced"] = c.replaced;
    j["status"] = to_string(c.status);
    if (!c.reason.empty()) {
      j["failed_step"] = c.failed_step;
      j["failed_host"] = c.failed_host;
      j["reason"] = c.reason;
      j["next"] = c.next;
    }
    j["hosts"] = nlohmann::ordered_json::object();
    for (const auto& [name, t] : c.hosts) {
      j["hosts"][name] = {{"ok", t.ok},
                          {"changed", t.changed},
                          {"failed", t.failed},
                          {"skipped", t.skipped},
                          {"unreachable", t.unreachable}};
      auto pending = c.pending.find(name);
      j["hosts"][name]["pending"] = pending == c.pending.end() ? 0 : pending->second;
    }
    j["checklist"] = c.checklist;
    j["plan"] = nlohmann::ordered_json::array();
    for (const auto& p : c.plan)
      j["plan"].push_back({{"host", p.host},
                           {"step", p.step},
                           {"kind", p.kind},
                           {"command", p.command},
                           {"reason", p.description}});
    out["clusters"].push_back(j);
  }
  return out;
}

}  // namespace lkr
