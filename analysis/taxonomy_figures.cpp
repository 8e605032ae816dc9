#include "analysis/taxonomy_figures.hpp"

#include "analysis/taxonomy_figure_matrix.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <optional>

#include "analysis/taxonomy_figures_db.hpp"

namespace tinyfleet {
namespace {

using GroupLines = std::map<std::string, std::vector<std::pair<double, double>>>;

// Mean over the points of each group's value of `series` at each output tick,
// times `scale`, by group name.
GroupLines group_series(const TaxonomyDb& db, const std::string& series, double scale) {
  auto s = db.prepare(
      "SELECT device, time_s, AVG(value) FROM metrics WHERE metric = ?1 AND device LIKE "
      "'group:%' GROUP BY device, time_s ORDER BY device, time_s");
  sqlite3_bind_text(s.get(), 1, series.c_str(), -1, SQLITE_TRANSIENT);
  GroupLines lines;
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    const std::string device = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
    lines[device.substr(6)].emplace_back(sqlite3_column_double(s.get(), 1),
                                         sqlite3_column_double(s.get(), 2) * scale);
  }
  return lines;
}

// The `limit` series (a budget in force) as dashed steps: one black line when
// every drawn group has the same, else one per group in its colour. Returns
// the caption's words for it.
std::string draw_limit(const TaxonomyFigure& f, const TaxonomyTable& t, const GroupLines& lines,
                       const GroupLines& limits, const TimeAxis& axis, Figure& fig,
                       std::string& plot) {
  if (f.limit.empty()) return "";
  if (limits.empty()) return "; no " + f.limit + " series to draw as its limit";
  bool same = true;
  for (const auto& [group, points] : lines) {
    const auto it = limits.find(group);
    same = same && it != limits.end() && it->second == limits.begin()->second;
  }
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const auto it = limits.find(t.rows[i]);
    if (it == limits.end()) continue;
    const std::string name = same ? "$limit" : "$limit" + std::to_string(i);
    fig.data += name + " << EOD\n";
    for (const auto& [time, v] : it->second)
      fig.data += gp_num(axis(time)) + " " + gp_num(v) + "\n";
    fig.data += "EOD\n";
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + name +
            " using 1:2 with steps dt 2 lw 2 lc rgb '" + (same ? "#000000" : group_colour(i)) +
            "' title " + gp_string(same ? f.limit : t.rows[i] + ": " + f.limit);
    if (same) break;
  }
  return same ? "; black dashed steps: the limit in force, " + f.limit +
                    " (the same for every group; mean over the points)"
              : "; dashed steps in a group's colour: its limit in force, " + f.limit +
                    " (mean over the points)";
}

std::optional<Figure> series_figure(const TaxonomyFigure& f, const TaxonomyTable& t,
                                    const TaxonomyDb& db, std::string& why_not) {
  const GroupLines lines = group_series(db, f.series, f.scale);
  double t_max = 0;
  for (const auto& [group, points] : lines)
    if (!points.empty()) t_max = std::max(t_max, points.back().first);
  if (lines.empty()) {
    why_not = "no '" + f.series + "' series in metrics.csv";
    return std::nullopt;
  }
  const std::optional<double> first_drift = db.first_drift_mean_s();
  const bool drift = first_drift.has_value();
  const double drift_s = first_drift.value_or(0);
  const TimeAxis axis = time_axis_for(t_max);
  // Every alarm of every device of a group, all points pooled: a tick per alarm
  // in a strip of its own under the curves (device names are "group/index").
  auto a = db.prepare(
      "SELECT device, time_s FROM events WHERE event = 'alarm' ORDER BY device, time_s, point");
  std::map<std::string, std::vector<double>> alarms;
  while (sqlite3_step(a.get()) == SQLITE_ROW) {
    const std::string device = reinterpret_cast<const char*>(sqlite3_column_text(a.get(), 0));
    alarms[device.substr(0, device.rfind('/'))].push_back(sqlite3_column_double(a.get(), 1));
  }

  const GroupLines limits = f.limit.empty() ? GroupLines{} : group_series(db, f.limit, f.scale);

  Figure fig;
  fig.title = f.title;
  std::string plot;
  const std::string limit_words = draw_limit(f, t, lines, limits, axis, fig, plot);
  fig.caption = "Mean over the points (seeds) of each group's " + f.series +
                " at every output tick" + limit_words +
                (drift ? "; dashed: the first drift (mean over seeds)" : "") +
                (alarms.empty() ? "."
                                : "; ticks at the bottom: every alarm of the group's devices, "
                                  "all seeds pooled, a row per group.");
  std::size_t alarm_rows = 0;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const auto it = alarms.find(t.rows[i]);
    if (it == alarms.end()) continue;
    const std::string name = "$a" + std::to_string(i);
    fig.data += name + " << EOD\n";
    for (const double time : it->second)
      fig.data +=
          gp_num(axis(time)) + " " + gp_num(0.03 + 0.035 * static_cast<double>(alarm_rows)) + "\n";
    fig.data += "EOD\n";
    ++alarm_rows;
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + name +
            " using 1:2 axes x1y2 with points pt 11 ps 0.7 lc rgb '" + group_colour(i) +
            "' notitle";
  }
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const auto it = lines.find(t.rows[i]);
    if (it == lines.end()) continue;
    const std::string name = "$g" + std::to_string(i);
    fig.data += name + " << EOD\n";
    for (const auto& [time, v] : it->second)
      fig.data += gp_num(axis(time)) + " " + gp_num(v) + "\n";
    fig.data += "EOD\n";
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + name +
            " using 1:2 with lines lw 2 lc rgb '" + group_colour(i) + "' title " +
            gp_string(t.rows[i]);
  }
  std::string& b = fig.body;
  b += "set grid lc rgb '#e0e0e0'\nset key outside right top\n";
  b += "set xlabel " + gp_string("time (" + axis.unit + ")") + "\n";
  b += "set ylabel " + gp_string(f.series + (f.scale != 1 ? " × " + gp_num(f.scale) : "")) + "\n";
  if (drift)
    b += "set arrow from " + gp_num(axis(drift_s)) + ", graph 0 to " + gp_num(axis(drift_s)) +
         ", graph 1 nohead dt 2 lc rgb '#555555'\n";
  if (alarm_rows > 0) b += "set y2range [0:1]\nunset y2tics\n";
  b += plot + "\n";
  return fig;
}

std::optional<Figure> scatter_figure(const TaxonomyFigure& f, const TaxonomyExperiment& x,
                                     const TaxonomyTable& t, std::string& why_not) {
  auto index = [&](const std::string& name) {
    for (std::size_t i = 0; i < x.metrics.size(); ++i)
      if (x.metrics[i].name == name) return i;
    return x.metrics.size();
  };
  const std::size_t mx = index(f.x), my = index(f.y);
  Figure fig;
  fig.title = f.title;
  fig.caption = "One point per " + std::string(x.sections == "none" ? "" : "section and ") +
                "row at the means over seeds; rows without both values are not drawn.";
  std::string plot;
  std::size_t drawn = 0;
  for (std::size_t si = 0; si < t.sections.size(); ++si) {
    const std::string name = "$s" + std::to_string(si);
    std::string rows;
    for (const auto& row : t.rows) {
      if (!figure_shows(f, row)) continue;
      const TaxonomyCell* a = t.find(t.sections[si], row, mx);
      const TaxonomyCell* b = t.find(t.sections[si], row, my);
      if (!a || !b || a->values.empty() || b->values.empty()) continue;
      rows += gp_num(a->mean()) + " " + gp_num(b->mean()) + " " + gp_label(row) + "\n";
      ++drawn;
    }
    if (rows.empty()) continue;
    fig.data += name + " << EOD\n" + rows + "EOD\n";
    const std::string colour = group_colour(si);
    const std::string title = t.sections[si].empty() ? x.id : t.sections[si];
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + name +
            " using 1:2 with points pt 7 ps 1.3 lc rgb '" + colour + "' title " + gp_string(title) +
            ", \\\n     " + name +
            " using 1:2:3 with labels offset char 0.8,0.5 left font ',8' tc rgb '" + colour +
            "' notitle";
  }
  if (drawn == 0) {
    why_not = "no row has both '" + f.x + "' and '" + f.y + "'";
    return std::nullopt;
  }
  std::string& b = fig.body;
  b += "set grid lc rgb '#e0e0e0'\nset key outside right top\nset offsets graph 0.05, graph 0.15, "
       "graph 0.05, graph 0.05\n";
  if (f.logx) b += "set logscale x\n";
  b += "set xlabel " + gp_string(f.x) + "\nset ylabel " + gp_string(f.y) + "\n";
  b += plot + "\n";
  return fig;
}

std::size_t metric_index(const TaxonomyExperiment& x, const std::string& name) {
  for (std::size_t i = 0; i < x.metrics.size(); ++i)
    if (x.metrics[i].name == name) return i;
  return x.metrics.size();
}

// One line per row (and value of the `split` section key) through the
// sections' means, in the order of x: e.g. accuracy vs labels used per
// learner across label fractions, a line per label delay.
std::optional<Figure> lines_figure(const TaxonomyFigure& f, const TaxonomyExperiment& x,
                                   const TaxonomyTable& t, std::string& why_not) {
  const std::size_t mx = metric_index(x, f.x), my = metric_index(x, f.y);
  std::size_t split = x.section_keys.size();
  for (std::size_t i = 0; i < x.section_keys.size(); ++i)
    if (x.section_keys[i] == f.split) split = i;
  std::vector<std::string> split_values;  // in section order: a dash type each
  struct Line {
    std::string row, split;
    std::vector<std::pair<double, double>> xy;
  };
  std::vector<Line> lines;
  std::size_t dropped = 0;
  for (const auto& row : t.rows)
    for (const auto& section : t.sections) {
      const TaxonomyCell* a = t.find(section, row, mx);
      const TaxonomyCell* b = t.find(section, row, my);
      if (!a || !b || a->values.empty() || b->values.empty()) continue;
      if (f.logx && !(a->mean() > 0)) {
        ++dropped;
        continue;
      }
      std::string value;
      const auto parts = t.section_parts.find(section);
      if (parts != t.section_parts.end() && split < parts->second.size())
        value = parts->second[split];
      if (std::find(split_values.begin(), split_values.end(), value) == split_values.end())
        split_values.push_back(value);
      auto it = std::find_if(lines.begin(), lines.end(),
                             [&](const Line& l) { return l.row == row && l.split == value; });
      if (it == lines.end()) it = lines.insert(lines.end(), Line{row, value, {}});
      it->xy.emplace_back(a->mean(), b->mean());
    }
  if (lines.empty()) {
    why_not = "no row has both '" + f.x + "' and '" + f.y + "'";
    return std::nullopt;
  }
  Figure fig;
  fig.title = f.title;
  fig.caption =
      "The means over seeds of each row" +
      std::string(f.split.empty() ? "" : " and value of " + f.split) +
      " across the sections, joined in the order of the x axis; a colour per row" +
      (f.split.empty() ? "." : ", a dash pattern per " + f.split + " value.") +
      (dropped ? " " + std::to_string(dropped) + " points with x ≤ 0 are not drawn." : "");
  std::string plot;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto& l = lines[i];
    std::stable_sort(l.xy.begin(), l.xy.end());
    const std::string name = "$l" + std::to_string(i);
    fig.data += name + " << EOD\n";
    for (const auto& [px, py] : l.xy) fig.data += gp_num(px) + " " + gp_num(py) + "\n";
    fig.data += "EOD\n";
    const auto row_index =
        static_cast<std::size_t>(std::find(t.rows.begin(), t.rows.end(), l.row) - t.rows.begin());
    const auto dash = static_cast<std::size_t>(
        std::find(split_values.begin(), split_values.end(), l.split) - split_values.begin());
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + name +
            " using 1:2 with linespoints lw 2 pt " + std::to_string(5 + 2 * (dash % 4)) + " dt " +
            std::to_string(1 + dash % 5) + " lc rgb '" + group_colour(row_index) + "' title " +
            gp_string(l.split.empty() ? l.row : l.row + ", " + l.split);
  }
  std::string& b = fig.body;
  b += "set grid lc rgb '#e0e0e0'\nset key outside right top\n";
  if (f.logx) b += "set logscale x\n";
  b += "set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05\n";
  b += "set xlabel " + gp_string(f.x) + "\nset ylabel " + gp_string(f.y) + "\n";
  b += plot + "\n";
  return fig;
}

}  // namespace

std::vector<Figure> taxonomy_figures(const TaxonomyExperiment& x, const TaxonomyTable& t,
                                     const std::string& results_sqlite,
                                     std::vector<std::string>& omitted) {
  std::vector<Figure> out;
  if (x.figures.empty()) return out;
  const TaxonomyDb db(results_sqlite);
  for (std::size_t i = 0; i < x.figures.size(); ++i) {
    const auto& f = x.figures[i];
    std::string why;
    std::optional<Figure> fig;
    if (f.kind == "matrix")
      fig = matrix_figure(f, t, results_sqlite, why);
    else if (f.kind == "series")
      fig = series_figure(f, t, db, why);
    else if (f.kind == "scatter")
      fig = scatter_figure(f, x, t, why);
    else if (f.kind == "lines")
      fig = lines_figure(f, x, t, why);
    else if (f.kind == "rounds")
      fig = taxonomy_rounds_figure(f, t, results_sqlite, why);
    if (!fig) {
      omitted.push_back(x.id + ": " + f.title + ": " + (why.empty() ? "unknown kind" : why));
      continue;
    }
    fig->id = x.id + "-" + std::to_string(i + 1);
    out.push_back(std::move(*fig));
  }
  return out;
}

}  // namespace tinyfleet
