#include "controller/report/gantt_svg.h"

#include <algorithm>
#include <cstdio>

#include "controller/report/gantt_geometry.h"
#include "controller/report/html_text.h"

namespace lkr::report {
namespace {

// The drawing's fixed measures, in SVG user units (1 unit = 1 CSS px at 100 %).
constexpr double kWidth = 1200, kLabelWidth = 170, kRightPad = 20;
constexpr double kAxisTop = 16, kStripTop = 22, kStripHeight = 20;
constexpr double kLanesTop = 50, kLaneHeight = 24, kBarHeight = 16, kBottomPad = 8;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string duration_label(long long ms) {
  char buf[32];
  if (ms < 1000)
    std::snprintf(buf, sizeof buf, "%lld ms", ms);
  else
    std::snprintf(buf, sizeof buf, "%.3g s", static_cast<double>(ms) / 1000.0);
  return buf;
}

TimeAxis axis_of(const ClusterReport& c) {
  TimeAxis axis;
  axis.t0_ms = c.commands.front().start_ms;
  axis.t1_ms = c.commands.front().end_ms;
  for (const auto& cmd : c.commands) {
    axis.t0_ms = std::min(axis.t0_ms, cmd.start_ms);
    axis.t1_ms = std::max(axis.t1_ms, cmd.end_ms);
  }
  for (const auto& w : c.windows) {
    axis.t0_ms = std::min(axis.t0_ms, w.start_ms);
    axis.t1_ms = std::max(axis.t1_ms, w.end_ms);
  }
  axis.x0 = kLabelWidth;
  axis.width = kWidth - kLabelWidth - kRightPad;
  return axis;
}

std::string rect(const std::string& cls, const Bar& b, double y, double h, const char* fill,
                 const std::string& extra = "") {
  return "<rect class=\"" + cls + "\" x=\"" + num(b.x) + "\" y=\"" + num(y) + "\" width=\"" +
         num(b.width) + "\" height=\"" + num(h) + "\" fill=\"" + fill + "\"" + extra + ">";
}

std::string ticks(const TimeAxis& axis, double bottom) {
  std::string out;
  long long step = tick_step_ms(axis.t1_ms - axis.t0_ms, 10);
  for (long long t = 0; axis.t0_ms + t <= axis.t1_ms; t += step) {
    std::string x = num(axis.x_of(axis.t0_ms + t));
    out += "<line class=\"tick\" x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + num(kStripTop) +
           "\" y2=\"" + num(bottom) + "\" stroke=\"#ddd\"/>";
    out += "<text x=\"" + x + "\" y=\"" + num(kAxisTop - 4) + "\" font-size=\"10\">+" +
           duration_label(t) + "</text>";
  }
  return out;
}

std::string windows(const ClusterReport& c, const TimeAxis& axis, double bottom) {
  std::string out;
  for (const auto& w : c.windows) {
    Bar b = bar_of(axis, w.start_ms, w.end_ms);
    std::string title =
        "<title>" + html_escape(w.name) + ": " + duration_label(w.end_ms - w.start_ms) +
        (w.cluster_serial ? " (cluster-serial: one node at a time)" : "") + "</title>";
    if (w.cluster_serial)
      out += rect("serial-window", b, kStripTop, bottom - kStripTop, "#ffb300",
                  " fill-opacity=\"0.22\" stroke=\"#ff8f00\" stroke-dasharray=\"4 3\"") +
             title + "</rect>";
    out += rect(w.cluster_serial ? "phase phase-serial" : "phase", b, kStripTop, kStripHeight,
                w.cluster_serial ? "#ff8f00" : "#b0bec5") +
           title + "</rect>";
    // A label only where it fits; the tooltip names every window.
    if (b.width >= 7.0 * static_cast<double>(w.name.size()))
      out += "<text x=\"" + num(b.x + 3) + "\" y=\"" + num(kStripTop + 14) +
             "\" font-size=\"11\">" + html_escape(w.name) + "</text>";
  }
  return out;
}

// A host name cut to fit the label column, at a whole UTF-8 character (a character of
// three or four bytes, CJK mostly, counted twice as wide); the full name is the tooltip.
std::string lane_label(const std::string& host) {
  constexpr size_t kMaxWidth = 22;
  size_t width = 0;
  for (size_t i = 0; i < host.size(); ++i) {
    auto byte = static_cast<unsigned char>(host[i]);
    if ((byte & 0xC0) == 0x80) continue;  // a continuation byte
    width += byte >= 0xE0 ? 2 : 1;
    if (width > kMaxWidth) return html_escape(host.substr(0, i)) + "…";
  }
  return html_escape(host);
}

std::string bars(const ClusterReport& c, const TimeAxis& axis) {
  std::string out;
  for (size_t lane = 0; lane < c.host_order.size(); ++lane) {
    double y = kLanesTop + static_cast<double>(lane) * kLaneHeight;
    out += "<text class=\"lane\" x=\"4\" y=\"" + num(y + 13) + "\" font-size=\"12\">" +
           lane_label(c.host_order[lane]) + "<title>" + html_escape(c.host_order[lane]) +
           "</title></text>";
    for (const auto& cmd : c.commands) {
      if (cmd.host != c.host_order[lane]) continue;
      out += rect("cmd-bar", bar_of(axis, cmd.start_ms, cmd.end_ms), y + 2, kBarHeight,
                  status_colour(cmd.status)) +
             "<title>#" + std::to_string(cmd.seq) + " " + html_escape(cmd.host) + " · " +
             html_escape(cmd.step) + " · " + html_escape(cmd.status) + " · " +
             duration_label(cmd.duration_ms) + "\n" + html_escape(cmd.command) + "</title></rect>";
    }
  }
  return out;
}

}  // namespace

const char* status_colour(const std::string& status) {
  if (status == "changed") return "#2e7d32";
  if (status == "failed") return "#c62828";
  if (status == "unreachable") return "#6a1b9a";
  if (status == "skipped") return "#9e9e9e";
  return "#1565c0";  // ok: read-only
}

std::string gantt_svg(const ClusterReport& c) {
  if (c.commands.empty()) return "";
  TimeAxis axis = axis_of(c);
  double bottom = kLanesTop + static_cast<double>(c.host_order.size()) * kLaneHeight;
  double height = bottom + kBottomPad;
  std::string out = "<svg class=\"gantt\" viewBox=\"0 0 " + num(kWidth) + " " + num(height) +
                    "\" width=\"" + num(kWidth) + "\" height=\"" + num(height) +
                    "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"timeline of " +
                    html_escape(c.name) + "\">";
  out += ticks(axis, bottom);
  out += windows(c, axis, bottom);
  out += bars(c, axis);
  out += "</svg>";
  return out;
}

}  // namespace lkr::report
