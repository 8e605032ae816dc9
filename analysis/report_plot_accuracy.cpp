// The accuracy-over-time figure: the one a reader looks at first, so drifts,
// drops and recoveries must be visible at a glance.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "analysis/report_plots.hpp"
#include "analysis/report_recovery.hpp"

namespace tinyfleet {
namespace {

constexpr const char* kDriftColour = "#b2182b";

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string duration_text(double seconds) {
  if (seconds < 120) return fmt("%.0f s", seconds);
  if (seconds < 2 * 3600) return fmt("%.0f min", seconds / 60);
  if (seconds < 2 * 86400) return fmt("%.1f h", seconds / 3600);
  return fmt("%.1f d", seconds / 86400);
}

std::string group_title(const GroupReport& g) {
  std::string t = g.name;
  const std::string learner = g.summary.value("learner", std::string());
  const std::string detector = g.summary.value("detector", std::string());
  std::string how = learner;
  if (!detector.empty() && detector != "-") how += (how.empty() ? "" : " + ") + detector;
  if (!how.empty() && how != g.name) t += " (" + how + ")";
  return t;
}

// Keeps the text labels of the upper panel apart: their boxes are estimated
// in pixels from the plot area and the font (10 pt: about 6.3 px a
// character, 15 px a line), and a label that would overlap one already placed
// moves a line down or up.
class LabelPlacer {
 public:
  LabelPlacer(double x_max, double y_lo, double y_hi, double width_px, double height_px)
      : x_max_(x_max), y_lo_(y_lo), y_hi_(y_hi), w_(width_px), h_(height_px) {}

  // "at X, Y [right] offset char DX,DY" for `text` anchored at (x, y), ideally
  // `dx`, `dy` characters away.
  std::string place(double x, double y, const std::string& text, double dx, double dy) {
    const double px = x / x_max_ * w_, py = (y - y_lo_) / (y_hi_ - y_lo_) * h_;
    const double width = static_cast<double>(text.size()) * kCharPx;
    const bool right = px + dx * kCharPx + width > w_;
    if (right) dx = -std::fabs(dx);
    const double x0 = right ? px + dx * kCharPx - width : px + dx * kCharPx;
    double chosen = dy;
    for (int k = 0; k < 9; ++k) {
      const double step = (k + 1) / 2 * (k % 2 ? -kLineChars : kLineChars);
      const double cy = py + (dy + step) * kLinePx / kLineChars;
      if (cy < 8 || cy > h_ - 8) continue;
      const Box box{x0, x0 + width, cy - 8, cy + 8};
      if (std::none_of(placed_.begin(), placed_.end(),
                       [&](const Box& b) { return b.overlaps(box); })) {
        chosen = dy + step;
        placed_.push_back(box);
        break;
      }
    }
    return "at " + gp_num(x) + ", " + gp_num(y) + (right ? " right" : "") + " offset char " +
           gp_num(dx) + "," + gp_num(chosen);
  }

 private:
  static constexpr double kCharPx = 6.3, kLinePx = 15, kLineChars = 1.3;
  struct Box {
    double x0, x1, y0, y1;
    bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  };
  double x_max_, y_lo_, y_hi_, w_, h_;
  std::vector<Box> placed_;
};

// Shading over each drift span and a dashed line at each drift start, drawn
// in both panels; one label per cluster of drifts that overlap (several
// groups often drift at the same time).
std::string drift_marks(const RunReport& run, const TimeAxis& x, LabelPlacer* labels,
                        double label_y) {
  std::vector<DriftSpan> all;
  for (const auto& g : run.groups) all.insert(all.end(), g.drifts.begin(), g.drifts.end());
  std::sort(all.begin(), all.end(), [](const DriftSpan& a, const DriftSpan& b) {
    return a.start_s != b.start_s ? a.start_s < b.start_s : a.end_s < b.end_s;
  });
  std::string s;
  int tag = 1;
  std::vector<double> starts;
  for (const auto& d : all) {
    if (d.end_s > d.start_s)
      s += "set object " + std::to_string(tag++) + " rect from " + gp_num(x(d.start_s)) +
           ", graph 0 to " + gp_num(x(d.end_s)) + ", graph 1 behind fc rgb '" + kDriftColour +
           "' fs transparent solid 0.12 noborder\n";
    if (std::find(starts.begin(), starts.end(), d.start_s) == starts.end()) {
      starts.push_back(d.start_s);
      s += "set arrow " + std::to_string(tag++) + " from " + gp_num(x(d.start_s)) +
           ", graph 0 to " + gp_num(x(d.start_s)) + ", graph 1 nohead lw 2 dt 2 lc rgb '" +
           kDriftColour + "' front\n";
    }
  }
  if (!labels) return s;
  for (std::size_t i = 0; i < all.size();) {
    double end = all[i].end_s;
    std::vector<std::string> kinds;
    std::size_t j = i;
    for (; j < all.size() && all[j].start_s <= end; ++j) {
      end = std::max(end, all[j].end_s);
      std::istringstream parts(all[j].kind);
      std::string kind;
      while (std::getline(parts, kind, '+'))
        if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);
    }
    std::string text = "drift (";
    for (std::size_t k = 0; k < kinds.size(); ++k) text += (k ? ", " : "") + kinds[k];
    text += ")";
    s += "set label " + std::to_string(tag++) + " " + gp_string(text) + " " +
         labels->place(x(all[i].start_s), label_y, text, 0.6, 0) + " tc rgb '" + kDriftColour +
         "' front\n";
    i = j;
  }
  return s;
}

// Ticks after the first full window: earlier ones are warm-up noise that
// would squash the y axis.
void y_range(const RunReport& run, double& lo, double& hi) {
  lo = 1, hi = 0;
  for (const auto& g : run.groups)
    if (const TimeSeries* s = g.find_series("accuracy_window"))
      for (std::size_t i = 0; i < s->t.size(); ++i)
        if (s->t[i] >= run.window_s || s->t.size() < 3) {
          lo = std::min(lo, s->v[i]);
          hi = std::max(hi, s->v[i]);
        }
  if (lo > hi) lo = 0, hi = 1;
  lo = std::max(0.0, std::floor((lo - 0.03) * 20) / 20);
  hi = std::min(1.0, std::ceil((hi + 0.02) * 20) / 20);
}

// Dotted pre-drift level and a dot where the group came back, for every
// drift of the group; text for its first drift only (recurring drifts would
// bury the plot in words): how long it took, or that it did not recover.
std::string recovery_marks(const RunReport& run, const TimeAxis& x, LabelPlacer& labels,
                           std::string& caption) {
  std::string s;
  int tag = 100;
  for (std::size_t gi = 0; gi < run.groups.size(); ++gi) {
    const GroupReport& g = run.groups[gi];
    const TimeSeries* acc = g.find_series("accuracy_window");
    if (!acc || acc->t.empty()) continue;
    const std::string colour = group_colour(gi);
    for (std::size_t k = 0; k < g.drifts.size(); ++k) {
      const double until = k + 1 < g.drifts.size() ? g.drifts[k + 1].start_s : INFINITY;
      Recovery r;
      if (!find_recovery(*acc, g.drifts[k].start_s, until, kRecoveryEpsilon, r)) continue;
      const double level_end = std::min(until, acc->t.back());
      s += "set arrow " + std::to_string(tag++) + " from " + gp_num(x(r.drift_s)) + ", " +
           gp_num(r.level_before) + " to " + gp_num(x(level_end)) + ", " + gp_num(r.level_before) +
           " nohead dt 3 lw 1.5 lc rgb '" + colour + "' front\n";
      if (!r.dropped) continue;
      const bool with_text = k == 0;
      if (r.recovered) {
        const std::string text = with_text ? g.name + ": recovered after " +
                                                 duration_text(r.recovery_time_s()) + " (trough " +
                                                 fmt("%.2f", r.trough) + ")"
                                           : "";
        s += "set label " + std::to_string(tag++) + " " + gp_string(text) + " " +
             labels.place(x(r.recovered_s), r.recovered_level, text, 1, -1.2) +
             " point pt 7 ps 1.6 lc rgb '" + colour + "' tc rgb '" + colour + "' front\n";
        if (caption.empty())
          caption =
              g.name + " recovered " + duration_text(r.recovery_time_s()) + " after the drift";
      } else if (with_text) {
        const std::size_t last = acc->t.size() - 1;
        const double at = std::min(until, acc->t[last]);
        const std::string text = g.name + ": no recovery (" + fmt("%.2f", acc->v[last]) +
                                 " at the end vs " + fmt("%.2f", r.level_before) + " before)";
        s += "set label " + std::to_string(tag++) + " " + gp_string(text) + " " +
             labels.place(x(at), acc->v[last], text, -1, 1.2) + " tc rgb '" + colour + "' front\n";
      }
    }
  }
  return s;
}

}  // namespace

double alarm_bin_s(double duration_s) {
  static const double steps[] = {1,     2,     5,     10,    15,        30,       60,
                                 120,   300,   600,   900,   1800,      3600,     7200,
                                 10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400};
  const double target = duration_s / 96;
  for (double s : steps)
    if (s >= target) return s;
  return steps[std::size(steps) - 1] * std::ceil(target / steps[std::size(steps) - 1]);
}

std::vector<std::vector<int>> alarm_histogram(const RunReport& run, double bin_s) {
  const std::size_t bins =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(run.duration_s / bin_s)));
  std::vector<std::vector<int>> counts(bins, std::vector<int>(run.groups.size(), 0));
  for (std::size_t g = 0; g < run.groups.size(); ++g)
    for (double t : run.groups[g].alarms) {
      const auto b = std::min(bins - 1, static_cast<std::size_t>(std::max(0.0, t / bin_s)));
      counts[b][g] += 1;
    }
  return counts;
}

std::optional<Figure> accuracy_figure(const RunReport& run, std::string& why_not) {
  Figure fig;
  fig.id = "accuracy";
  fig.title = "Accuracy over time, drifts and alarms";
  fig.width = 1100;
  fig.height = 620;
  const TimeAxis x = time_axis_for(run.duration_s);
  std::string plot;
  for (std::size_t g = 0; g < run.groups.size(); ++g) {
    const TimeSeries* s = run.groups[g].find_series("accuracy_window");
    if (!s || s->t.empty()) continue;
    fig.data += "$acc" + std::to_string(g) + " << EOD\n";
    for (std::size_t i = 0; i < s->t.size(); ++i)
      fig.data += gp_num(x(s->t[i])) + " " + gp_num(s->v[i]) + "\n";
    fig.data += "EOD\n";
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + "$acc" + std::to_string(g) +
            " using 1:2 with lines lw 2.5 lc rgb '" + group_colour(g) + "' title " +
            gp_string(group_title(run.groups[g]));
  }
  if (plot.empty()) {
    why_not = "metrics.csv has no group accuracy_window rows";
    return std::nullopt;
  }
  const double bin = alarm_bin_s(run.duration_s);
  const auto counts = alarm_histogram(run, bin);
  int max_count = 0;
  std::size_t total_alarms = 0;
  fig.data += "$alarms << EOD\n";
  for (std::size_t b = 0; b < counts.size(); ++b) {
    fig.data += gp_num(x(static_cast<double>(b) * bin));
    for (int c : counts[b]) {
      fig.data += " " + std::to_string(c);
      max_count = std::max(max_count, c);
      total_alarms += static_cast<std::size_t>(c);
    }
    fig.data += "\n";
  }
  fig.data += "EOD\n";

  double lo = 0, hi = 1;
  y_range(run, lo, hi);
  // Plot area of the upper panel, in pixels, for placing labels.
  LabelPlacer labels(x(run.duration_s), lo, hi, (0.98 - 0.08) * fig.width,
                     (0.87 - 0.36) * fig.height);
  const std::string drifts = drift_marks(run, x, &labels, hi - 0.04 * (hi - lo));
  std::string recovered_caption;
  const std::string recoveries = recovery_marks(run, x, labels, recovered_caption);
  const std::string xrange = "set xrange [0:" + gp_num(x(run.duration_s)) + "]\n";
  std::string& b = fig.body;
  b += "set multiplot\n";
  b += "set lmargin at screen 0.08\nset rmargin at screen 0.98\n";
  b += "set tmargin at screen 0.87\nset bmargin at screen 0.36\n";
  // Title and key sit above the plot as labels, where they hide no curve.
  b += "set label 99 " +
       gp_string("Windowed accuracy per group (" + duration_text(run.window_s) +
                 " window), injected drifts in red") +
       " at screen 0.53, screen 0.965 center font ',12'\n";
  b += xrange + "set yrange [" + gp_num(lo) + ":" + gp_num(hi) + "]\n";
  b += "set format x ''\nset ylabel 'windowed accuracy'\n";
  b += "set grid xtics ytics lc rgb '#e0e0e0'\n";
  b += "set key at screen 0.53, screen 0.915 center horizontal samplen 3 width 2\n";
  b += drifts;
  b += recoveries;
  b += plot + "\n";
  // Lower panel: alarms per bin, side-by-side boxes per group.
  b += "unset label\nunset arrow\nunset object\nunset title\n";
  b += drift_marks(run, x, nullptr, 0);
  b += "set tmargin at screen 0.33\nset bmargin at screen 0.09\n";
  b += "set format x '%g'\nset xlabel 'time (" + x.unit + ")'\n";
  b += "set ylabel " + gp_string("alarms / " + duration_text(bin)) + "\n";
  b += "set yrange [0:" + std::to_string(std::max(1, max_count + max_count / 5 + 1)) + "]\n";
  b += "set ytics nomirror\nunset key\nset style fill solid 0.85 noborder\n";
  const std::size_t n = run.groups.size();
  const double width = x(bin) / static_cast<double>(n);
  std::string bars;
  for (std::size_t g = 0; g < n; ++g)
    bars += std::string(bars.empty() ? "plot " : ", \\\n     ") + "$alarms using ($1+" +
            gp_num(width * (static_cast<double>(g) + 0.5)) + "):" + std::to_string(g + 2) + ":(" +
            gp_num(width) + ") with boxes lc rgb '" + group_colour(g) + "' notitle";
  b += "set label 1 " +
       gp_string(total_alarms == 0 ? "no detector alarms in this run"
                                   : "detector alarms (colour = group)") +
       " at graph 0.01, graph 0.9 left front\n";
  b += bars + "\n";
  b += "unset multiplot\n";
  fig.caption =
      "Lines: windowed prequential accuracy of each group (all its devices' predictions "
      "in the window). Red: injected drifts (dashed line at the start, shading over a "
      "gradual change or the spread of start times across devices). Dotted: each "
      "group's level just before the drift; a dot marks where the group is back within " +
      fmt("%.2f", kRecoveryEpsilon) +
      " of it after its trough. Bottom: detector alarms "
      "per " +
      duration_text(bin) + " (" + std::to_string(total_alarms) + " in all).";
  if (!recovered_caption.empty()) fig.caption += " Here: " + recovered_caption + ".";
  return fig;
}

}  // namespace tinyfleet
