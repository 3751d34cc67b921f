#include "controller/report/run_report_markdown.h"

#include <algorithm>

#include "controller/report/approved_plan.h"
#include "controller/report/markdown_text.h"

namespace lkr::report {
namespace {

std::string md(const std::string& s) { return markdown_escape(s); }
std::string md_or_none(const std::string& s) { return s.empty() ? "*none*" : md(s); }

std::string header(const RunReport& r) {
  std::string argv;
  for (const auto& a : r.argv) argv += (argv.empty() ? "" : " ") + a;
  return "# lkrecover " + md(r.mode) + " " + md(r.run_id) + "\n\n" +
         "| | |\n|---|---|\n| status | " + md(r.status) +
         (r.interrupted ? " \\(interrupted\\)" : "") + " |\n| exit code | " +
         (r.exit_code ? std::to_string(*r.exit_code) : "none \\(not finished\\)") +
         " |\n| operator | " + md(r.operator_name) + " on " + md(r.controller_host) +
         " |\n| started | " + md(r.started) + " |\n| finished | " + md_or_none(r.finished) +
         " |\n| inventory | " + md(r.inventory_path) + " sha256 " + md(r.inventory_sha256) +
         " |\n| command line | " + md(argv) + " |\n\n";
}

std::string outcome(const ClusterReport& c) {
  std::string out = "### Outcome\n\n| | |\n|---|---|\n| status | **" + md(c.status) +
                    "** |\n| replaced node | " + md_or_none(c.replaced) + " |\n| failed step | " +
                    md_or_none(c.failed_step) + " |\n| failed host | " + md_or_none(c.failed_host) +
                    " |\n| reason | " + md_or_none(c.reason) + " |\n| next | " +
                    md_or_none(c.next) + " |\n\n";
  out +=
      "| host | status | ok | changed | failed | skipped | unreachable |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const auto& [host, h] : c.hosts)
    out += "| " + md(host) + " | " + md(h.status) + " | " + std::to_string(h.ok) + " | " +
           std::to_string(h.changed) + " | " + std::to_string(h.failed) + " | " +
           std::to_string(h.skipped) + " | " + std::to_string(h.unreachable) + " |\n";
  return out + "\n";
}

std::string snapshot_line(const SnapshotRecord& s) {
  std::string verdict = !s.found    ? "**file missing**"
                        : s.matches ? "matches the trail"
                                    : "**differs from the trail's hash**";
  return md(s.path) + ", sha256 " + md(s.sha256) + ": " + verdict;
}

std::string approval(const RunReport& r, const ClusterReport& c) {
  std::string out = "### Approval\n\n";
  if (r.approval)
    out += md(r.approval->message) + " at " + md(r.approval->time) + "\n\n";
  else if (r.mode == "run")
    out += "**No approval recorded: nothing was applied.**\n\n";
  else
    out += md(r.mode) + " is read\\-only: nothing to approve.\n\n";
  if (!c.plan) return out + "No plan was saved for this cluster.\n\n";
  out += "Saved plan: " + snapshot_line(*c.plan) + "\n\n";
  if (auto match = saved_plans_match_approval(r))
    out += *match ? "The saved plans are the approved ones.\n\n"
                  : "**The saved plans do not hash to the approved plan.**\n\n";
  return out;
}

std::string phases(const ClusterReport& c) {
  if (c.windows.empty()) return "### Phases\n\nNo command ran.\n\n";
  long long t0 = c.windows.front().start_ms;
  for (const auto& w : c.windows) t0 = std::min(t0, w.start_ms);
  std::string out = "### Phases\n\n| phase | from | to | one node at a time |\n|---|---|---|---|\n";
  for (const auto& w : c.windows)
    out += "| " + md(w.name) + " | \\+" + std::to_string(w.start_ms - t0) + " ms | \\+" +
           std::to_string(w.end_ms - t0) + " ms | " + (w.cluster_serial ? "yes" : "") + " |\n";
  return out + "\n";
}

std::string commands(const ClusterReport& c) {
  std::string out = "### Commands\n\n";
  for (const auto& cmd : c.commands) {
    out += "- \\#" + std::to_string(cmd.seq) + " " + md(cmd.host) + " · " + md(cmd.step) + " · **" +
           md(cmd.status) + "** · " + std::to_string(cmd.duration_ms) + " ms · " + md(cmd.command) +
           (cmd.exit_code ? " · exit " + std::to_string(*cmd.exit_code) : "") + "\n";
    if (!cmd.message.empty()) out += "\n  " + md(cmd.message) + "\n";
    if (!cmd.stdout_text.empty()) out += "\n" + markdown_code_block(cmd.stdout_text) + "\n";
    if (!cmd.stderr_text.empty()) out += "\n" + markdown_code_block(cmd.stderr_text) + "\n";
  }
  return out + "\n";
}

std::string audit(const RunReport& r) {
  std::string out = "## Audit trail\n\n";
  std::string checked =
      r.key_id.empty() ? "hash chain" : "hash chain and HMACs \\(audit key " + md(r.key_id) + "\\)";
  out += r.chain_problems.empty() ? "Trail intact: " + checked + " verified.\n\n"
                                  : "**The trail does not verify \\(" + checked + "\\):**\n\n";
  for (const auto& p : r.chain_problems) out += "- " + md(p) + "\n";
  if (!r.chain_problems.empty()) out += "\n";
  if (r.unfinished) out += "**" + md(*r.unfinished) + "**\n\n";
  if (r.unreadable_lines > 0)
    out += "**" + std::to_string(r.unreadable_lines) +
           " line\\(s\\) of events\\.jsonl are not JSON and are left out of this report\\.**\n\n";
  out += "Events: " + std::to_string(r.event_count) + "; last event sha256 " + md(r.last_sha256) +
         "\n\n";
  for (const auto& n : r.run_notes)
    out += "- " + md(n.time) + " " + md(n.step) + ": " + md(n.message) + "\n";
  return out + "\n";
}

std::string checklists(const RunReport& r) {
  std::string out = "## Re\\-extension checklist\n\n";
  for (const auto& c : r.clusters) {
    out += "### " + md(c.name) + "\n\n";
    if (!c.checklist_txt) {
      out += "No checklist was written for this cluster.\n\n";
      continue;
    }
    out += snapshot_line(*c.checklist_txt) + "\n\n" +
           markdown_code_block(c.checklist_txt->content) + "\n";
  }
  return out;
}

}  // namespace

std::string render_markdown(const RunReport& r) {
  std::string out = header(r);
  for (const auto& c : r.clusters)
    out +=
        "## Cluster " + md(c.name) + "\n\n" + outcome(c) + approval(r, c) + phases(c) + commands(c);
  return out + audit(r) + checklists(r);
}

}  // namespace lkr::report
