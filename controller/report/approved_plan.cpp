#include "controller/report/approved_plan.h"

#include <algorithm>
#include <vector>

#include "inventory/file_digest.h"

namespace lkr::report {

std::optional<std::string> approved_plan_sha256(const NoteRecord& approval) {
  const std::string marker = "plan sha256 ";
  size_t at = approval.message.rfind(marker);
  if (at == std::string::npos) return std::nullopt;
  std::string hex = approval.message.substr(at + marker.size(), 64);
  if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdef") != std::string::npos)
    return std::nullopt;
  return hex;
}

std::optional<bool> saved_plans_match_approval(const RunReport& report) {
  if (!report.approval) return std::nullopt;
  auto approved = approved_plan_sha256(*report.approval);
  if (!approved) return false;
  std::vector<const SnapshotRecord*> plans;
  for (const auto& c : report.clusters)
    if (c.plan) plans.push_back(&*c.plan);
  std::sort(plans.begin(), plans.end(),
            [](const SnapshotRecord* a, const SnapshotRecord* b) { return a->seq < b->seq; });
  std::string joined;
  for (const auto* p : plans) {
    if (!p->found || !p->matches) return false;
    joined += p->content;
  }
  return sha256_hex(joined) == *approved;
}

}  // namespace lkr::report
