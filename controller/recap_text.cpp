#include "controller/recap_text.h"

#include <algorithm>
#include <array>

#include "controller/display_width.h"
#include "controller/terminal_text.h"

namespace lkr {
namespace {

constexpr std::size_t kFields = 5;

// One host's row before padding: its name and its five "name=count" fields.
struct Row {
  std::string host;
  std::array<std::string, kFields> fields = {};
  bool failed = false;
};

Row row_of(const std::string& host, const HostTally& tally) {
  HostTally steps = tally.by_step();
  Row row;
  row.host = terminal_safe(host);
  row.fields = {"ok=" + std::to_string(steps.ok), "changed=" + std::to_string(steps.changed),
                "unreachable=" + std::to_string(steps.unreachable),
                "failed=" + std::to_string(steps.failed),
                "skipped=" + std::to_string(steps.skipped)};
  row.failed = steps.failed > 0;
  return row;
}

struct Widths {
  std::size_t host = 0;
  std::array<std::size_t, kFields> fields = {};
};

Widths widths_of(const RunSummary& summary) {
  Widths w;
  for (const auto& c : summary.clusters)
    for (const auto& [host, tally] : c.hosts) {
      Row row = row_of(host, tally);
      w.host = std::max(w.host, display_width(row.host));
      for (std::size_t i = 0; i < kFields; ++i)
        w.fields[i] = std::max(w.fields[i], row.fields[i].size());
    }
  return w;
}

std::string format_row(const Row& row, const Widths& w, const Paint& paint) {
  static constexpr std::array<const char*, kFields> kColour = {"32", "33", "", "31", ""};
  std::string text = "  " + pad_right(row.host, w.host) + " : ";
  for (std::size_t i = 0; i < kFields; ++i) {
    const char* code = kColour[i];
    if (i == 3 && !row.failed) code = "";
    text += *code ? paint(row.fields[i], code) : row.fields[i];
    if (i + 1 < kFields) text += std::string(w.fields[i] - row.fields[i].size() + 2, ' ');
  }
  return text;
}

std::string stop_text(const ClusterOutcome& c) {
  std::string text;
  if (!c.reason.empty()) {
    text += "\n  stopped at step '" + terminal_safe(c.failed_step) + "'";
    if (!c.failed_host.empty()) text += " on " + terminal_safe(c.failed_host);
    text += ": " + terminal_safe(c.reason);
  }
  if (!c.next.empty()) text += "\n  next: " + terminal_safe(c.next);
  return text;
}

}  // namespace

std::string recap_text(const RunSummary& summary, const Paint& paint) {
  const Widths w = widths_of(summary);
  std::string text = "PLAY RECAP " + std::string(60, '*');
  for (const auto& c : summary.clusters) {
    text += "\n[" + terminal_safe(c.name) + "] replaced=" + terminal_safe(c.replaced) +
            "  status=" + to_string(c.status);
    for (const auto& [host, tally] : c.hosts) {
      text += "\n" + format_row(row_of(host, tally), w, paint);
      // `check`: the changes a run would make there, last so the columns stay aligned.
      auto pending = c.pending.find(host);
      if (c.status == ClusterStatus::changes_pending && pending != c.pending.end())
        text += "  pending=" + std::to_string(pending->second);
    }
    text += stop_text(c);
  }
  return text;
}

std::string checklists_text(const RunSummary& summary) {
  std::string text;
  for (const auto& c : summary.clusters) {
    bool recovered = c.status == ClusterStatus::changed || c.status == ClusterStatus::nothing_to_do;
    if (!recovered || c.checklist.empty()) continue;
    text += (text.empty() ? "" : "\n") + ("[" + terminal_safe(c.name) + "] ") +
            "Re-extension checklist (runbook steps 9-10):";
    for (const auto& line : c.checklist) text += "\n    " + terminal_safe(line, Lines::one);
  }
  return text;
}

}  // namespace lkr
