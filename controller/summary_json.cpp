#include "controller/summary_json.h"

namespace lkr {

using Json = nlohmann::ordered_json;

namespace {

const char* host_status(const HostTally& t) {
  if (t.failed) return "failed";
  if (t.unreachable) return "unreachable";
  if (t.changed) return "changed";
  if (t.ok) return "ok";
  if (t.skipped) return "skipped";
  return "pending";
}

Json null_if_empty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json host_json(const HostTally& t, int pending) {
  return Json{{"status", host_status(t)},     {"ok", t.ok},
              {"changed", t.changed},         {"failed", t.failed},
              {"skipped", t.skipped},         {"unreachable", t.unreachable},
              {"pending", pending},           {"invocations", t.invocations},
              {"round_trips", t.round_trips}, {"connect_round_trips", t.connect_round_trips}};
}

Json plan_json(const std::vector<PlannedCommand>& plan) {
  Json out = Json::array();
  for (const auto& p : plan)
    out.push_back({{"host", p.host},
                   {"step", p.step},
                   {"kind", p.kind},
                   {"command", p.command},
                   {"reason", p.description}});
  return out;
}

Json cluster_json(const ClusterOutcome& c) {
  Json hosts = Json::object();
  for (const auto& [name, tally] : c.hosts) {
    auto pending = c.pending.find(name);
    hosts[name] = host_json(tally, pending == c.pending.end() ? 0 : pending->second);
  }
  return Json{{"name", c.name},
              {"replaced", c.replaced},
              {"status", to_string(c.status)},
              {"failed_step", null_if_empty(c.failed_step)},
              {"failed_host", null_if_empty(c.failed_host)},
              {"reason", null_if_empty(c.reason)},
              {"next", null_if_empty(c.next)},
              {"hosts", hosts},
              {"checklist", c.checklist},
              {"plan", plan_json(c.plan)}};
}

}  // namespace

Json clusters_json(const std::vector<ClusterOutcome>& clusters) {
  Json out = Json::array();
  for (const auto& c : clusters) out.push_back(cluster_json(c));
  return out;
}

Json totals_json(const std::vector<ClusterOutcome>& clusters) {
  HostTally sum;
  int hosts = 0;
  for (const auto& c : clusters)
    for (const auto& [name, t] : c.hosts) {
      ++hosts;
      sum.ok += t.ok;
      sum.changed += t.changed;
      sum.failed += t.failed;
      sum.skipped += t.skipped;
      sum.unreachable += t.unreachable;
      sum.invocations += t.invocations;
      sum.round_trips += t.round_trips;
      sum.connect_round_trips += t.connect_round_trips;
    }
  return Json{{"hosts", hosts},
              {"ok", sum.ok},
              {"changed", sum.changed},
              {"failed", sum.failed},
              {"skipped", sum.skipped},
              {"unreachable", sum.unreachable},
              {"invocations", sum.invocations},
              {"round_trips", sum.round_trips},
              {"connect_round_trips", sum.connect_round_trips}};
}

Json summary_json(const RunSummary& s, const std::string& run_dir, int exit_code) {
  return Json{{"exit_code", exit_code},
              {"interrupted", s.interrupted},
              {"run_dir", run_dir},
              {"clusters", clusters_json(s.clusters)},
              {"totals", totals_json(s.clusters)}};
}

}  // namespace lkr
