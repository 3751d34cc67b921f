#include "controller/run_summary.h"

#include "controller/exit_codes.h"

namespace lkr {

const char* to_string(StepStatus s) {
  switch (s) {
    case StepStatus::ok:
      return "ok";
    case StepStatus::changed:
      return "changed";
    case StepStatus::failed:
      return "failed";
    case StepStatus::skipped:
      return "skipped";
    case StepStatus::unreachable:
      return "unreachable";
  }
  return "?";
}

void HostTally::add(StepStatus s) {
  switch (s) {
    case StepStatus::ok:
      ++ok;
      break;
    case StepStatus::changed:
      ++changed;
      break;
    case StepStatus::failed:
      ++failed;
      break;
    case StepStatus::skipped:
      ++skipped;
      break;
    case StepStatus::unreachable:
      ++unreachable;
      break;
  }
}

namespace {

int severity(StepStatus s) {
  switch (s) {
    case StepStatus::skipped:
      return 0;
    case StepStatus::ok:
      return 1;
    case StepStatus::changed:
      return 2;
    case StepStatus::unreachable:
      return 3;
    case StepStatus::failed:
      return 4;
  }
  return 0;
}

}  // namespace

StepStatus worse(StepStatus a, StepStatus b) { return severity(b) > severity(a) ? b : a; }

void HostTally::add(const std::string& step, StepStatus s) {
  add(s);
  auto [it, first] = steps.try_emplace(step, s);
  if (!first) it->second = worse(it->second, s);
}

HostTally HostTally::by_step() const {
  HostTally counts;
  for (const auto& [step, status] : steps) counts.add(status);
  return counts;
}

const char* to_string(ClusterStatus s) {
  switch (s) {
    case ClusterStatus::pending:
    case ClusterStatus::changes_pending:
      return "pending";
    case ClusterStatus::ok:
      return "ok";
    case ClusterStatus::changed:
      return "changed";
    case ClusterStatus::nothing_to_do:
      return "nothing_to_do";
    case ClusterStatus::failed:
      return "failed";
    case ClusterStatus::refused:
      return "refused";
    case ClusterStatus::unreachable:
      return "unreachable";
    case ClusterStatus::interrupted:
      return "interrupted";
  }
  return "?";
}

// Ansible's order of precedence: interrupted, then unreachable, then failed.
int RunSummary::exit_code() const {
  if (interrupted) return exit_code::interrupted;
  if (not_confirmed) return exit_code::error;
  bool unreachable = false, failed = false;
  for (const auto& c : clusters) {
    if (c.status == ClusterStatus::unreachable) unreachable = true;
    if (c.status == ClusterStatus::failed || c.status == ClusterStatus::refused ||
        c.status == ClusterStatus::pending)
      failed = true;
    if (c.status == ClusterStatus::interrupted) return exit_code::interrupted;
  }
  if (unreachable) return exit_code::unreachable;
  if (failed) return exit_code::host_failed;
  return exit_code::ok;
}

}  // namespace lkr
