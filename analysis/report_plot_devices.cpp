// Device-level figures: how the devices of each group spread around the group's mean.
#include <algorithm>
#include <cmath>

#include "analysis/report_plots.hpp"

namespace tinyfleet {
namespace {

// About 30 bins over the range of the values, of a round width.
double bin_width(double lo, double hi) {
  for (double w : {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1})
    if ((hi - lo) / w <= 30) return w;
  return 0.1;
}

}  // namespace

std::optional<Figure> device_accuracy_figure(const RunReport& run, std::string& why_not) {
  double lo = 1, hi = 0;
  for (const auto& g : run.groups)
    for (double a : g.device_accuracy) lo = std::min(lo, a), hi = std::max(hi, a);
  if (lo > hi) {
    why_not =
        "no per-device accuracy (summary.json lists no devices and metrics.csv has no "
        "per-device rows: output.per_device is off)";
    return std::nullopt;
  }
  const double w = bin_width(lo, hi);
  const double first = std::floor(lo / w) * w;
  const auto bins = static_cast<std::size_t>(std::floor((hi - first) / w + 1e-9)) + 1;
  Figure fig;
  fig.id = "device_accuracy";
  fig.title = "Device-level accuracy";
  fig.height = 400;
  std::string plot;
  for (std::size_t gi = 0; gi < run.groups.size(); ++gi) {
    const auto& g = run.groups[gi];
    if (g.device_accuracy.empty()) continue;
    std::vector<int> counts(bins, 0);
    for (double a : g.device_accuracy) {
      const auto b = static_cast<std::size_t>(std::floor((a - first) / w + 1e-9));
      counts[std::min(b, bins - 1)] += 1;
    }
    const std::string name = "$dev" + std::to_string(gi);
    fig.data += name + " << EOD\n";
    for (std::size_t b = 0; b < bins; ++b)
      fig.data += gp_num(first + (static_cast<double>(b) + 0.5) * w) + " " +
                  std::to_string(counts[b]) + "\n";
    fig.data += "EOD\n";
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + name + " using 1:2 title " +
            gp_string(g.name + " (" + std::to_string(g.device_accuracy.size()) + " devices)") +
            " lc rgb '" + group_colour(gi) + "'";
  }
  std::string& b = fig.body;
  b += "set style data boxes\nset boxwidth " + gp_num(w * 0.95) + "\n";
  b += "set style fill transparent solid 0.55 border\n";
  b += "set grid ytics lc rgb '#e0e0e0'\nset yrange [0:*]\nset offsets 0,0,graph 0.05,0\n";
  b += "set xrange [" + gp_num(first - w) + ":" +
       gp_num(first + (static_cast<double>(bins) + 1) * w) + "]\n";
  b += "set key top left\nset xlabel 'cumulative prequential accuracy of the device'\n";
  b += "set ylabel 'devices'\n";
  b += "set title 'How the devices of each group spread' font ',12'\n";
  b += plot + "\n";
  fig.caption =
      "Histogram of each device's cumulative prequential accuracy over the whole run "
      "(bins of " +
      gp_num(w) + "), one colour per group.";
  return fig;
}

}  // namespace tinyfleet
