#include "controller/report/run_report_html.h"

#include "controller/report/approved_plan.h"
#include "controller/report/gantt_svg.h"
#include "controller/report/html_text.h"

namespace lkr::report {
namespace {

const char* kStyle = R"(
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1240px}
h1{font-size:1.5em;margin:0 0 .4em}h2{border-bottom:2px solid #ccc;margin-top:1.6em}
h3{margin:1.1em 0 .3em}table{border-collapse:collapse;margin:.3em 0}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}pre{background:#f7f7f7;border:1px solid #ddd;padding:6px;
white-space:pre-wrap;word-break:break-all;margin:.3em 0}code{font-size:.95em}
.badge{display:inline-block;padding:0 8px;border-radius:9px;color:#fff;font-size:.8em;
vertical-align:middle}.bad{color:#b71c1c;font-weight:bold}.good{color:#1b5e20;font-weight:bold}
details{margin:2px 0}summary{cursor:pointer}.gantt{max-width:100%;height:auto;
border:1px solid #ddd;background:#fff}.legend span{margin-right:1em}
.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
)";

std::string esc(const std::string& s) { return html_escape(s); }
std::string pre(const std::string& s) { return "<pre>" + html_escape(s, Lines::many) + "</pre>"; }
std::string row(const std::string& key, const std::string& value_html) {
  return "<tr><th>" + key + "</th><td>" + value_html + "</td></tr>";
}
std::string or_none(const std::string& s) { return s.empty() ? "<i>none</i>" : esc(s); }

// Darker than the timeline's bars (gantt_svg.h): a bar's colour is the chart's alone.
const char* badge_colour(const std::string& status) {
  if (status == "changed" || status == "ok" || status == "nothing_to_do") return "#1b5e20";
  if (status == "pending") return "#0d47a1";
  return "#b71c1c";
}

std::string badge(const std::string& status) {
  return "<span class=\"badge\" style=\"background:" + std::string(badge_colour(status)) + "\">" +
         esc(status.empty() ? "unknown" : status) + "</span>";
}

std::string header(const RunReport& r) {
  std::string argv;
  for (const auto& a : r.argv) argv += (argv.empty() ? "" : " ") + a;
  std::string exit = r.exit_code ? std::to_string(*r.exit_code) : "none (not finished)";
  return "<h1>lkrecover " + esc(r.mode) + " " + esc(r.run_id) + "</h1><table>" +
         row("status", esc(r.status) + (r.interrupted ? " (interrupted)" : "")) +
         row("exit code", esc(exit)) +
         row("operator", esc(r.operator_name) + " on " + esc(r.controller_host)) +
         row("started", esc(r.started)) + row("finished", or_none(r.finished)) +
         row("inventory",
             esc(r.inventory_path) + "<br>sha256 <code>" + esc(r.inventory_sha256) + "</code>") +
         row("command line", "<code>" + esc(argv) + "</code>") + "</table>";
}

std::string contents(const RunReport& r) {
  std::string out = "<p>Clusters: ";
  for (size_t i = 0; i < r.clusters.size(); ++i)
    out += "<a href=\"#cluster-" + std::to_string(i + 1) + "\">" + esc(r.clusters[i].name) +
           "</a> " + badge(r.clusters[i].status) + " ";
  return out + "· <a href=\"#audit\">audit trail</a> · <a href=\"#checklists\">checklists</a></p>";
}

std::string outcome(const ClusterReport& c) {
  std::string out =
      "<h3>Outcome</h3><table>" + row("status", badge(c.status)) +
      row("replaced node", or_none(c.replaced)) + row("failed step", or_none(c.failed_step)) +
      row("failed host", or_none(c.failed_host)) + row("reason", or_none(c.reason)) +
      row("next", c.next.empty() ? "<i>none</i>" : "<code>" + esc(c.next) + "</code>") + "</table>";
  out +=
      "<table><tr><th>host</th><th>status</th><th>ok</th><th>changed</th><th>failed</th>"
      "<th>skipped</th><th>unreachable</th></tr>";
  for (const auto& [host, h] : c.hosts)
    out += "<tr><td>" + esc(host) + "</td><td>" + esc(h.status) + "</td><td>" +
           std::to_string(h.ok) + "</td><td>" + std::to_string(h.changed) + "</td><td>" +
           std::to_string(h.failed) + "</td><td>" + std::to_string(h.skipped) + "</td><td>" +
           std::to_string(h.unreachable) + "</td></tr>";
  return out + "</table>";
}

std::string snapshot_line(const SnapshotRecord& s) {
  std::string verdict = !s.found    ? "<span class=\"bad\">file missing</span>"
                        : s.matches ? "<span class=\"good\">matches the trail</span>"
                                    : "<span class=\"bad\">differs from the trail's hash</span>";
  return "<code>" + esc(s.path) + "</code>, sha256 <code>" + esc(s.sha256) + "</code>: " + verdict;
}

std::string approval(const RunReport& r, const ClusterReport& c) {
  std::string out = "<h3>Approval</h3>";
  if (r.approval)
    out += "<p>" + esc(r.approval->message) + " at " + esc(r.approval->time) + "</p>";
  else if (r.mode == "run")
    out += "<p class=\"bad\">No approval recorded: nothing was applied.</p>";
  else
    out += "<p>" + esc(r.mode) + " is read-only: nothing to approve.</p>";
  if (!c.plan) return out + "<p>No plan was saved for this cluster.</p>";
  auto match = saved_plans_match_approval(r);
  out += "<p>Saved plan: " + snapshot_line(*c.plan) + "</p>";
  if (match)
    out += *match ? "<p class=\"good\">The saved plans are the approved ones.</p>"
                  : "<p class=\"bad\">The saved plans do not hash to the approved plan.</p>";
  return out + "<details><summary>The plan</summary>" + pre(c.plan->content) + "</details>";
}

std::string legend() {
  std::string out = "<p class=\"legend\">";
  for (const char* s : {"ok", "changed", "failed", "skipped", "unreachable"})
    out += "<span><i class=\"swatch\" style=\"background:" + std::string(status_colour(s)) +
           "\"></i>" + s + "</span>";
  return out +
         "<span><i class=\"swatch\" style=\"background:#ffb300;opacity:.5\"></i>cluster-serial "
         "window (one node at a time)</span></p>";
}

std::string timeline(const ClusterReport& c) {
  std::string svg = gantt_svg(c);
  if (svg.empty()) return "<h3>Timeline</h3><p>No command ran.</p>";
  return "<h3>Timeline</h3>" + legend() + svg;
}

std::string command_details(const CommandRecord& cmd) {
  std::string code = cmd.exit_code ? std::to_string(*cmd.exit_code) : "none";
  std::string out = "<details><summary>#" + std::to_string(cmd.seq) + " " + esc(cmd.host) + " · " +
                    esc(cmd.step) + " · <b>" + esc(cmd.status) + "</b> · " +
                    std::to_string(cmd.duration_ms) + " ms · <code>" + esc(cmd.command) +
                    "</code></summary>";
  out += "<p>exit code " + esc(code) + ", " + esc(cmd.start) + " to " + esc(cmd.end) +
         (cmd.truncated ? ", <b>output truncated</b>" : "") + "</p>";
  if (!cmd.message.empty()) out += "<p>" + esc(cmd.message) + "</p>";
  out += "stdout" + pre(cmd.stdout_text);
  if (!cmd.stderr_text.empty()) out += "stderr" + pre(cmd.stderr_text);
  return out + "</details>";
}

std::string commands(const ClusterReport& c) {
  std::string out = "<h3>Commands</h3><details><summary>" + std::to_string(c.commands.size()) +
                    " commands, each with its output</summary>";
  for (const auto& cmd : c.commands) out += command_details(cmd);
  out += "</details>";
  if (c.notes.empty()) return out;
  out += "<details><summary>" + std::to_string(c.notes.size()) + " notes</summary><ul>";
  for (const auto& n : c.notes)
    out += "<li>" + esc(n.time) + " " + esc(n.host) + " " + esc(n.step) + ": " + esc(n.message) +
           "</li>";
  return out + "</ul></details>";
}

std::string cluster_section(const RunReport& r, size_t i) {
  const ClusterReport& c = r.clusters[i];
  return "<section class=\"cluster\" id=\"cluster-" + std::to_string(i + 1) + "\"><h2>Cluster " +
         esc(c.name) + " " + badge(c.status) + "</h2>" + outcome(c) + approval(r, c) + timeline(c) +
         commands(c) + "</section>";
}

std::string audit(const RunReport& r) {
  std::string out = "<section id=\"audit\"><h2>Audit trail</h2>";
  std::string checked =
      r.key_id.empty() ? "hash chain" : "hash chain and HMACs (audit key " + esc(r.key_id) + ")";
  if (r.chain_problems.empty())
    out += "<p class=\"good\">Trail intact: " + checked + " verified.</p>";
  else
    out += "<p class=\"bad\">The trail does not verify (" + checked + "):</p><ul>";
  for (const auto& p : r.chain_problems) out += "<li>" + esc(p) + "</li>";
  if (!r.chain_problems.empty()) out += "</ul>";
  if (r.unfinished) out += "<p class=\"bad\">" + esc(*r.unfinished) + "</p>";
  if (r.unreadable_lines > 0)
    out += "<p class=\"bad\">" + std::to_string(r.unreadable_lines) +
           " line(s) of events.jsonl are not JSON and are left out of this report.</p>";
  out += "<table>" + row("events", std::to_string(r.event_count)) +
         row("last event sha256", "<code>" + esc(r.last_sha256) + "</code>") + "</table>";
  for (const auto& n : r.run_notes)
    out += "<p>" + esc(n.time) + " " + esc(n.step) + ": " + esc(n.message) + "</p>";
  return out + "</section>";
}

std::string checklists(const RunReport& r) {
  std::string out = "<section id=\"checklists\"><h2>Re-extension checklist</h2>";
  for (const auto& c : r.clusters) {
    out += "<h3>" + esc(c.name) + "</h3>";
    if (!c.checklist_txt) {
      out += "<p>No checklist was written for this cluster.</p>";
      continue;
    }
    out += "<p>" + snapshot_line(*c.checklist_txt) + "</p>" + pre(c.checklist_txt->content);
    if (c.checklist_json) out += "<p>As JSON: " + snapshot_line(*c.checklist_json) + "</p>";
  }
  return out + "</section>";
}

}  // namespace

std::string render_html(const RunReport& r) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width\"><title>lkrecover " +
      esc(r.mode) + " " + esc(r.run_id) + "</title><style>" + kStyle + "</style></head><body>";
  out += header(r) + contents(r);
  for (size_t i = 0; i < r.clusters.size(); ++i) out += cluster_section(r, i);
  out += audit(r) + checklists(r) + "</body></html>\n";
  return out;
}

}  // namespace lkr::report
