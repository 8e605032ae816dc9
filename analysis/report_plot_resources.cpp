// Energy and memory figures: bars per group, from summary.json.
#include <algorithm>
#include <cstdio>

#include "analysis/report_plots.hpp"

namespace tinyfleet {
namespace {

// Fixed colours for the energy ledger's categories (devices/energy_ledger.hpp),
// the group palette for any other.
std::string category_colour(const std::string& name, std::size_t i) {
  static const std::pair<const char*, const char*> known[] = {
      {"sense", "#999933"},  {"infer", "#0072B2"}, {"learn", "#009E73"},
      {"detect", "#CC79A7"}, {"radio", "#D55E00"}, {"sleep", "#BBBBBB"}};
  for (const auto& [k, c] : known)
    if (name == k) return c;
  return group_colour(i);
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? '\'' : c;
  return out + "\"";
}

// Category names in first-seen order over all groups.
std::vector<std::string> categories(const RunReport& run) {
  std::vector<std::string> names;
  for (const auto& g : run.groups)
    for (const auto& [k, v] : g.energy_by_category_j)
      if (std::find(names.begin(), names.end(), k) == names.end()) names.push_back(k);
  return names;
}

double energy_of(const GroupReport& g, const std::string& category) {
  for (const auto& [k, v] : g.energy_by_category_j)
    if (k == category) return v;
  return 0;
}

}  // namespace

std::optional<Figure> energy_figure(const RunReport& run, std::string& why_not) {
  const auto names = categories(run);
  if (names.empty()) {
    why_not = "summary.json has no energy by category (per group or per device)";
    return std::nullopt;
  }
  double max_total = 0;
  for (const auto& g : run.groups) {
    double total = 0;
    for (const auto& [k, v] : g.energy_by_category_j) total += v;
    max_total = std::max(max_total, total);
  }
  const bool milli = max_total < 1;
  const double scale = milli ? 1e3 : 1;
  const std::string unit = milli ? "mJ" : "J";
  Figure fig;
  fig.id = "energy";
  fig.title = "Energy by category";
  fig.height = 440;
  fig.data = "$energy << EOD\n";
  for (const auto& g : run.groups) {
    fig.data += quoted(g.name);
    for (const auto& c : names) fig.data += " " + gp_num(energy_of(g, c) * scale);
    fig.data += "\n";
  }
  fig.data += "EOD\n";
  auto panel = [&](bool with_sleep) {
    std::string p;
    std::size_t i = 0;
    for (std::size_t c = 0; c < names.size(); ++c) {
      if (!with_sleep && names[c] == "sleep") continue;
      p += std::string(p.empty() ? "plot " : ", \\\n     ") + "$energy using " +
           std::to_string(c + 2) + (p.empty() ? ":xtic(1)" : "") + " title " + gp_string(names[c]) +
           " lc rgb '" + category_colour(names[c], i++) + "'";
    }
    return p.empty() ? std::string("plot 1/0 notitle") : p;
  };
  std::string& b = fig.body;
  b += "set multiplot layout 1,2\n";
  b += "set style data histograms\nset style histogram rowstacked\n";
  b += "set style fill solid 0.9 border rgb '#ffffff'\nset boxwidth 0.6\n";
  b += "set grid ytics lc rgb '#e0e0e0'\nset yrange [0:*]\n";
  b += "set key outside right top\nset xtics rotate by -20\n";
  b += "set ylabel " + gp_string("mean energy per device (" + unit + ")") + "\n";
  b += "set title 'All categories' font ',12'\n" + panel(true) + "\n";
  b += "set title 'Awake only (without sleep)' font ',12'\n" + panel(false) + "\n";
  b += "unset multiplot\n";
  fig.caption = "Mean energy drawn per device over the run, by what it was spent on (" + unit +
                "). Sleep usually dominates, so the right panel leaves it out to show where the "
                "awake energy goes.";
  return fig;
}

std::optional<Figure> memory_figure(const RunReport& run, std::string& why_not) {
  Figure fig;
  fig.id = "memory";
  fig.title = "Peak memory vs RAM budget";
  fig.height = 400;
  fig.data = "$memory << EOD\n";
  std::size_t rows = 0;
  std::string labels;
  for (const auto& g : run.groups) {
    if (g.peak_memory_bytes < 0) continue;
    const double budget = std::max(0.0, g.ram_budget_bytes);
    fig.data += quoted(g.name) + " " + gp_num(g.peak_memory_bytes / 1024) + " " +
                gp_num(budget / 1024) + "\n";
    if (budget > 0) {
      char pct[32];
      std::snprintf(pct, sizeof pct, "%.0f%%", 100 * g.peak_memory_bytes / budget);
      labels += "set label " + gp_string(pct) + " at " +
                gp_num(static_cast<double>(rows) - 1.0 / 6) + ", " +
                gp_num(g.peak_memory_bytes / 1024) + " center offset 0,0.8 front\n";
    }
    ++rows;
  }
  fig.data += "EOD\n";
  if (rows == 0) {
    why_not = "summary.json has no peak_memory_bytes per group";
    return std::nullopt;
  }
  std::string& b = fig.body;
  b += "set style data histograms\nset style histogram clustered gap 1\n";
  b += "set style fill solid 0.9 border rgb '#ffffff'\n";
  b += "set grid ytics lc rgb '#e0e0e0'\nset yrange [0:*]\nset offsets 0,0,graph 0.1,0\n";
  b += "set key outside right top\nset ylabel 'KiB'\nset xtics rotate by -20\n";
  b += "set title 'Peak memory in use (max over devices) and RAM budget' font ',12'\n";
  b += labels;
  b += "plot $memory using 2:xtic(1) title 'peak in use' lc rgb '#0072B2', \\\n"
       "     $memory using 3 title 'RAM budget' lc rgb '#BBBBBB'\n";
  fig.caption =
      "Highest memory in use on any device of the group (learner, detector, label "
      "queue, evaluation window and the board's reserved RAM) against the board's RAM "
      "budget; the percentage is peak / budget.";
  return fig;
}

}  // namespace tinyfleet
