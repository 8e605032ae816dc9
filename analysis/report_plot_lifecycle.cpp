// Lifecycle figures: calibration over time (windowed ECE per group) and
// energy-budget usage (energy of the last closed budget window against the
// budget in force), both from the group rows of metrics.csv.
#include <algorithm>

#include "analysis/report_plots.hpp"

namespace tinyfleet {
namespace {

// "$NAME << EOD" with (time, value) rows of a series.
std::string series_block(const std::string& name, const TimeSeries& s, const TimeAxis& x,
                         double scale = 1) {
  std::string out = "$" + name + " << EOD\n";
  for (std::size_t i = 0; i < s.t.size(); ++i)
    out += gp_num(x(s.t[i])) + " " + gp_num(s.v[i] * scale) + "\n";
  return out + "EOD\n";
}

// Vertical dashed red lines at the groups' drift starts (as the accuracy figure).
std::string drift_lines(const RunReport& run, const TimeAxis& x) {
  std::vector<double> starts;
  for (const auto& g : run.groups)
    for (const auto& d : g.drifts) starts.push_back(d.start_s);
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  std::string out;
  for (double s : starts)
    out += "set arrow from " + gp_num(x(s)) + ", graph 0 to " + gp_num(x(s)) +
           ", graph 1 nohead dt 2 lw 1.2 lc rgb '#b2182b'\n";
  return out;
}

std::string axes(const RunReport& run, const TimeAxis& x, const std::string& ylabel) {
  return "set xrange [0:" + gp_num(x(run.duration_s)) + "]\nset xlabel 'time (" + x.unit +
         ")'\nset ylabel " + gp_string(ylabel) +
         "\nset grid xtics ytics lc rgb '#e0e0e0'\nset key outside top center horizontal\n";
}

}  // namespace

std::optional<Figure> calibration_figure(const RunReport& run, std::string& why_not) {
  const TimeAxis x = time_axis_for(run.duration_s);
  Figure fig;
  fig.id = "calibration";
  fig.title = "Calibration over time";
  fig.height = 440;
  std::string plot;
  double top = 0;
  for (std::size_t g = 0; g < run.groups.size(); ++g) {
    const TimeSeries* s = run.groups[g].find_series("ece_window");
    if (!s || s->t.empty()) continue;
    for (double v : s->v) top = std::max(top, v);
    fig.data += series_block("ece" + std::to_string(g), *s, x);
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + "$ece" + std::to_string(g) +
            " using 1:2 with lines lw 2.5 lc rgb '" + group_colour(g) + "' title " +
            gp_string(run.groups[g].name);
  }
  if (plot.empty()) {
    why_not = "metrics.csv has no group ece_window rows (a run made before confidences)";
    return std::nullopt;
  }
  fig.body = axes(run, x, "windowed ECE (15 bins)") +
             "set yrange [0:" + gp_num(std::max(0.05, top * 1.15)) + "]\n" + drift_lines(run, x) +
             plot + "\n";
  fig.caption =
      "Expected calibration error of each group's predictions in the accuracy window (15 "
      "equal-width confidence bins; 0 = confidences match accuracy). Dashed red: drift starts. "
      "summary.json splits it into pre-drift, transient and post-recovery phases.";
  return fig;
}

std::optional<Figure> budget_figure(const RunReport& run, std::string& why_not) {
  const TimeAxis x = time_axis_for(run.duration_s);
  double top = 0;
  for (const auto& g : run.groups)
    for (const char* m : {"energy_budget_j", "energy_window_j"})
      if (const TimeSeries* s = g.find_series(m))
        for (double v : s->v) top = std::max(top, v);
  if (top <= 0) {
    why_not = "no group has an energy budget (budgets.energy_j)";
    return std::nullopt;
  }
  const bool milli = top < 1;
  const double scale = milli ? 1e3 : 1;
  Figure fig;
  fig.id = "budget";
  fig.title = "Energy budget usage";
  fig.height = 440;
  std::string plot;
  for (std::size_t g = 0; g < run.groups.size(); ++g) {
    const TimeSeries* used = run.groups[g].find_series("energy_window_j");
    const TimeSeries* budget = run.groups[g].find_series("energy_budget_j");
    if (!used || !budget) continue;
    const std::string id = std::to_string(g), colour = group_colour(g);
    fig.data += series_block("used" + id, *used, x, scale);
    fig.data += series_block("budget" + id, *budget, x, scale);
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + "$used" + id +
            " using 1:2 with steps lw 2.5 lc rgb '" + colour + "' title " +
            gp_string(run.groups[g].name + ": used") + ", \\\n     $budget" + id +
            " using 1:2 with steps dt 2 lw 1.5 lc rgb '" + colour + "' title " +
            gp_string(run.groups[g].name + ": budget");
  }
  fig.body = axes(run, x, std::string("energy per budget window (") + (milli ? "mJ" : "J") + ")") +
             "set yrange [0:" + gp_num(top * scale * 1.2) + "]\n" + plot + "\n";
  fig.caption =
      "Solid: mean energy a device of the group drew in its last closed budget window; dashed: "
      "the energy budget per window in force (mean over the devices). Solid above dashed = "
      "windows over budget (events.csv: energy_budget_exceeded).";
  return fig;
}

}  // namespace tinyfleet
