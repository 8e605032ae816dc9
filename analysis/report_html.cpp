#include "analysis/report_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

#include "analysis/report_recovery.hpp"

namespace tinyfleet {
namespace {

using nlohmann::ordered_json;

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string duration_text(double s) {
  if (s < 120) return fmt("%.0f s", s);
  if (s < 2 * 3600) return fmt("%.1f min", s / 60);
  if (s < 2 * 86400) return fmt("%.2f h", s / 3600);
  return fmt("%.2f d", s / 86400);
}

bool has_number(const ordered_json& j, const char* key) {
  return j.contains(key) && j[key].is_number();
}
double num(const ordered_json& j, const char* key) {
  return has_number(j, key) ? j[key].get<double>() : NAN;
}
std::string text_of(const ordered_json& j, const char* key) {
  if (!j.contains(key)) return "–";
  const auto& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number()) return fmt("%.4g", v.get<double>());
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  return v.dump();
}
std::string cell(const std::string& s, bool numeric = true) {
  return std::string(numeric ? "<td class=\"n\">" : "<td>") + html_escape(s) + "</td>";
}
std::string acc_cell(const ordered_json& row, const char* key) {
  return cell(has_number(row, key) ? fmt("%.3f", num(row, key)) : "–");
}

// First drift of the group: how long until its windowed accuracy came back.
std::string recovery_text(const GroupReport& g) {
  const TimeSeries* acc = g.find_series("accuracy_window");
  if (!acc || g.drifts.empty()) return "no drift";
  const double until = g.drifts.size() > 1 ? g.drifts[1].start_s : INFINITY;
  Recovery r;
  if (!find_recovery(*acc, g.drifts[0].start_s, until, kRecoveryEpsilon, r)) return "–";
  if (!r.dropped) return "no drop";
  return r.recovered ? duration_text(r.recovery_time_s()) : "not recovered";
}

// Per-device recovery as summary.json scores it (when the run has it):
// drifts recovered of those scored, and their mean recovery time.
std::string device_recovery_text(const ordered_json& row) {
  if (!has_number(row, "drifts_recovered") || !has_number(row, "drifts")) return "–";
  std::string t = text_of(row, "drifts_recovered") + " / " + text_of(row, "drifts");
  if (has_number(row, "recovery_time_mean_s"))
    t += " in " + duration_text(num(row, "recovery_time_mean_s"));
  return t;
}

// Keys of a group row shown in the main table (or plotted); any other number
// in the row goes to the "more metrics" table, so new metrics appear unasked.
const std::set<std::string>& main_table_keys() {
  static const std::set<std::string> keys = [] {
    std::istringstream words(
        "group learner detector device devices accuracy accuracy_window_before_drift "
        "accuracy_window_min_after_drift accuracy_window_end drifts drifts_detected drifts_missed "
        "false_alarms mean_detection_delay_s mean_energy_j mean_battery_left battery_deaths "
        "memory_breaches peak_memory_bytes ram_budget_bytes drifts_recovered "
        "recovery_time_mean_s projected_lifetime_days_mean");
    std::set<std::string> set;
    for (std::string w; words >> w;) set.insert(w);
    return set;
  }();
  return keys;
}

std::string summary_table(const RunReport& run) {
  std::string h =
      "<table><thead><tr><th>group</th><th>learner</th><th>detector</th><th>devices</th>"
      "<th>accuracy</th><th>window acc. before drift</th><th>lowest after</th><th>at end</th>"
      "<th>recovery (group curve)</th><th>devices recovered</th><th>drifts detected</th>"
      "<th>false alarms</th><th>mean delay</th><th>energy / device</th><th>battery left</th>"
      "<th>projected lifetime</th><th>peak memory / budget</th>"
      "</tr></thead><tbody>\n";
  for (std::size_t gi = 0; gi < run.groups.size(); ++gi) {
    const auto& g = run.groups[gi];
    const auto& row = g.summary;
    h += "<tr><td><span class=\"swatch\" style=\"background:" + group_colour(gi) + "\"></span>" +
         html_escape(g.name) + "</td>";
    h += cell(text_of(row, "learner"), false) + cell(text_of(row, "detector"), false);
    h += cell(text_of(row, "devices"));
    h += acc_cell(row, "accuracy") + acc_cell(row, "accuracy_window_before_drift") +
         acc_cell(row, "accuracy_window_min_after_drift") + acc_cell(row, "accuracy_window_end");
    h += cell(recovery_text(g));
    h += cell(device_recovery_text(row));
    h += cell(has_number(row, "drifts")
                  ? text_of(row, "drifts_detected") + " / " + text_of(row, "drifts")
                  : "–");
    h += cell(text_of(row, "false_alarms"));
    h += cell(has_number(row, "drifts_detected") && num(row, "drifts_detected") > 0
                  ? duration_text(num(row, "mean_detection_delay_s"))
                  : "–");
    h += cell(has_number(row, "mean_energy_j") ? fmt("%.4g J", num(row, "mean_energy_j")) : "–");
    h += cell(has_number(row, "mean_battery_left")
                  ? fmt("%.4f %%", 100 * num(row, "mean_battery_left"))
                  : "–");
    h += cell(has_number(row, "projected_lifetime_days_mean")
                  ? fmt("%.4g d", num(row, "projected_lifetime_days_mean"))
                  : "–");
    h += cell(g.peak_memory_bytes >= 0
                  ? fmt("%.1f", g.peak_memory_bytes / 1024) + " / " +
                        fmt("%.0f KiB", std::max(0.0, g.ram_budget_bytes) / 1024)
                  : "–");
    h += "</tr>\n";
  }
  return h + "</tbody></table>\n";
}

std::string more_metrics_table(const RunReport& run) {
  std::vector<std::string> keys;
  for (const auto& g : run.groups)
    for (const auto& [k, v] : g.summary.items())
      if (!main_table_keys().count(k) && (v.is_number() || v.is_boolean()) &&
          std::find(keys.begin(), keys.end(), k) == keys.end())
        keys.push_back(k);
  if (keys.empty()) return "";
  std::string h =
      "<details><summary>More metrics from summary.json</summary><table><thead><tr>"
      "<th>metric</th>";
  for (const auto& g : run.groups) h += "<th>" + html_escape(g.name) + "</th>";
  h += "</tr></thead><tbody>\n";
  for (const auto& k : keys) {
    h += "<tr><td>" + html_escape(k) + "</td>";
    for (const auto& g : run.groups) h += cell(text_of(g.summary, k.c_str()));
    h += "</tr>\n";
  }
  return h + "</tbody></table></details>\n";
}

std::string run_meta(const RunReport& run) {
  std::string h = "<p class=\"meta\">Run directory <code>" + html_escape(run.dir) +
                  "</code> · scenario <b>" + html_escape(run.name) + "</b> · seed " +
                  std::to_string(run.seed) + " · " + duration_text(run.duration_s) + " · " +
                  std::to_string(run.devices) + " devices in " + std::to_string(run.groups.size()) +
                  " groups</p>\n";
  if (!run.provenance.empty() && run.provenance.is_object()) {
    h += "<p class=\"meta\">Provenance:";
    for (const auto& [k, v] : run.provenance.items())
      if (!v.is_structured())
        h += " " + html_escape(k) + " <code>" + html_escape(text_of(run.provenance, k.c_str())) +
             "</code>";
    h += "</p>\n";
  }
  for (const auto& n : run.notes) h += "<p class=\"note\">" + html_escape(n) + "</p>\n";
  return h;
}

std::string figure_html(const RenderedFigure& f, const std::string& anchor) {
  return "<figure id=\"" + anchor + "\"><h3>" + html_escape(f.figure.title) + "</h3><img alt=\"" +
         html_escape(f.figure.title) + "\" width=\"" + std::to_string(f.figure.width) +
         "\" height=\"" + std::to_string(f.figure.height) + "\" src=\"data:image/png;base64," +
         base64(f.png) + "\"><figcaption>" + html_escape(f.figure.caption) + " <a href=\"" +
         html_escape(f.svg_path) + "\">SVG</a></figcaption></figure>\n";
}

std::string comparison_table(const std::vector<RunSection>& sections) {
  std::string h =
      "<h2>Comparison</h2><table><thead><tr><th>run</th><th>group</th><th>learner</th>"
      "<th>detector</th><th>accuracy</th><th>window acc. at end</th><th>recovery</th>"
      "<th>drifts detected</th><th>false alarms</th><th>energy / device</th></tr></thead><tbody>\n";
  for (const auto& s : sections)
    for (const auto& g : s.run.groups) {
      const auto& row = g.summary;
      h += "<tr><td><a href=\"#" + s.slug + "\">" + html_escape(s.slug) + "</a></td>" +
           cell(g.name, false) + cell(text_of(row, "learner"), false) +
           cell(text_of(row, "detector"), false) + acc_cell(row, "accuracy") +
           acc_cell(row, "accuracy_window_end") + cell(recovery_text(g)) +
           cell(has_number(row, "drifts")
                    ? text_of(row, "drifts_detected") + " / " + text_of(row, "drifts")
                    : "–") +
           cell(text_of(row, "false_alarms")) +
           cell(has_number(row, "mean_energy_j") ? fmt("%.4g J", num(row, "mean_energy_j")) : "–") +
           "</tr>\n";
    }
  return h + "</tbody></table>\n";
}

constexpr const char* kStyle =
    R"(body{font-family:"DejaVu Sans",Arial,sans-serif;margin:24px auto;max-width:1160px;color:#222;padding:0 12px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:28px}
h3{font-size:15px;margin:0 0 6px}.meta{color:#555;font-size:13px;margin:4px 0}.note{color:#8a4b00;font-size:13px}
table{border-collapse:collapse;font-size:12px;margin:10px 0}th,td{border:1px solid #ddd;padding:3px 5px}
th{background:#f3f3f3;font-weight:600;text-align:center}td:first-child{white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}
.swatch{display:inline-block;width:11px;height:11px;margin-right:6px;border-radius:2px;vertical-align:-1px}
figure{margin:18px 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:13px;color:#444;max-width:1100px}details{font-size:13px}
)";

// Lets a headless browser (and the tests) tell that every figure decoded.
constexpr const char* kFigureCheck = R"(<script>
window.addEventListener('load', function () {
  var images = document.querySelectorAll('figure img'), loaded = 0;
  images.forEach(function (i) { if (i.complete && i.naturalWidth > 0) loaded++; });
  document.body.setAttribute('data-figures-loaded', loaded + '/' + images.length);
});
</script>
)";

}  // namespace

std::string base64(const std::string& bytes) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += table[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string report_html(const std::vector<RunSection>& sections) {
  std::string title = "tinyfleet report";
  if (sections.size() == 1) title += ": " + sections[0].run.name;
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
                  html_escape(title) + "</title>\n<style>" + kStyle + "</style></head>\n<body>\n";
  h += "<h1>" + html_escape(title) + "</h1>\n";
  h += "<p class=\"meta\">" + std::to_string(sections.size()) +
       (sections.size() == 1 ? " run" : " runs") +
       ". Made by <code>tinyfleet report</code> from each run directory's summary.json, "
       "metrics.csv, events.csv and provenance.json.</p>\n";
  if (sections.size() > 1) h += comparison_table(sections);
  for (const auto& s : sections) {
    h += "<section id=\"" + s.slug + "\">\n<h2>" + html_escape(s.run.name) +
         (s.slug == s.run.name ? "" : " <small>(" + html_escape(s.slug) + ")</small>") + "</h2>\n";
    h += run_meta(s.run);
    h += summary_table(s.run);
    h += more_metrics_table(s.run);
    for (const auto& f : s.figures) h += figure_html(f, s.slug + "-" + f.figure.id);
    for (const auto& o : s.omitted)
      h += "<p class=\"note\">Not shown: " + html_escape(o) + "</p>\n";
    h += "</section>\n";
  }
  h += kFigureCheck;
  h += "</body></html>\n";
  return h;
}

}  // namespace tinyfleet
