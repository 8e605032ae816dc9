// The `rounds` figure of the taxonomy suite (E8): per row — one federation
// setting — a group's windowed accuracy over time and the bytes its federated
// rounds put on air so far, each the mean over the row's points (seeds) at
// the output ticks. A time axis, not a round axis: drift-triggered rounds
// happen at other times (or not at all) than periodic ones, and the question
// is what each costs by when.
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "analysis/report_csv.hpp"
#include "analysis/taxonomy_figures.hpp"
#include "analysis/taxonomy_figures_db.hpp"

namespace tinyfleet {
namespace {

struct Sum {
  double total = 0;
  int n = 0;
  void add(double v) {
    total += v;
    ++n;
  }
  double mean() const { return n ? total / n : 0; }
};

struct Line {
  std::string label;
  std::map<double, Sum> accuracy, bytes;  // by tick time
  int points = 0, rounds = 0;
};

// (time, cumulative bytes up + down) after each round_end of a point.
std::vector<std::pair<double, double>> round_bytes(const TaxonomyDb& db, long long point) {
  auto s = db.prepare(
      "SELECT time_s, detail FROM events WHERE point = ?1 AND event = 'round_end' ORDER BY "
      "time_s, rowid");
  sqlite3_bind_int64(s.get(), 1, point);
  std::vector<std::pair<double, double>> out;
  double total = 0;
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    const auto* d = sqlite3_column_text(s.get(), 1);
    const auto kv = parse_key_values(d ? reinterpret_cast<const char*>(d) : "");
    for (const char* k : {"bytes_up", "bytes_down"}) {
      const auto it = kv.find(k);
      if (it != kv.end()) total += std::atof(it->second.c_str());
    }
    out.emplace_back(sqlite3_column_double(s.get(), 0), total);
  }
  return out;
}

}  // namespace

std::optional<Figure> taxonomy_rounds_figure(const TaxonomyFigure& f, const TaxonomyTable& t,
                                             const std::string& results_sqlite,
                                             std::string& why_not) {
  const TaxonomyDb db(results_sqlite);
  const std::string device = f.group.empty() ? "fleet" : "group:" + f.group;
  const std::string whose = f.group.empty() ? "the fleet" : "group " + f.group;
  std::vector<Line> lines;
  double t_max = 0;
  for (const auto& [point, labels] : t.point_labels) {
    const auto& [section, row] = labels;
    if (!figure_shows(f, row)) continue;
    const std::string label = section.empty() ? row : row + " (" + section + ")";
    auto line =
        std::find_if(lines.begin(), lines.end(), [&](const Line& l) { return l.label == label; });
    if (line == lines.end()) line = lines.insert(lines.end(), Line{label, {}, {}, 0, 0});
    auto s = db.prepare(
        "SELECT time_s, value FROM metrics WHERE point = ?1 AND device = ?2 AND metric = ?3 "
        "ORDER BY time_s");
    sqlite3_bind_int64(s.get(), 1, point);
    sqlite3_bind_text(s.get(), 2, device.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s.get(), 3, f.series.c_str(), -1, SQLITE_TRANSIENT);
    const auto bytes = round_bytes(db, point);
    ++line->points;
    line->rounds += static_cast<int>(bytes.size());
    std::size_t done = 0;  // rounds ended by the current tick
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
      const double time = sqlite3_column_double(s.get(), 0);
      while (done < bytes.size() && bytes[done].first <= time) ++done;
      line->accuracy[time].add(sqlite3_column_double(s.get(), 1) * f.scale);
      line->bytes[time].add(done ? bytes[done - 1].second : 0);
      t_max = std::max(t_max, time);
    }
  }
  lines.erase(
      std::remove_if(lines.begin(), lines.end(), [](const Line& l) { return l.accuracy.empty(); }),
      lines.end());
  if (lines.empty()) {
    why_not = "no '" + f.series + "' series of " + whose + " in metrics.csv";
    return std::nullopt;
  }
  const std::optional<double> first_drift = db.first_drift_mean_s();
  const bool drift = first_drift.has_value();
  const double drift_s = first_drift.value_or(0);
  const TimeAxis axis = time_axis_for(t_max);

  Figure fig;
  fig.title = f.title;
  fig.height = 620;
  fig.caption = "Per row, the mean over its points (seeds) at every output tick. Top: " + whose +
                "'s " + f.series +
                ". Bottom: bytes the federated rounds put on air so far (uplink + downlink, "
                "retransmissions included, from the round_end events); each step is a round. "
                "The legend gives the mean rounds per point." +
                (drift ? " Dashed: the first drift (mean over points)." : "");
  std::string top, bottom;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    const std::string name = "$r" + std::to_string(i);
    fig.data += name + " << EOD\n# time " + f.series + " bytes\n";
    for (const auto& [time, acc] : l.accuracy)
      fig.data += gp_num(axis(time)) + " " + gp_num(acc.mean()) + " " +
                  gp_num(l.bytes.at(time).mean()) + "\n";
    fig.data += "EOD\n";
    const double per_point = static_cast<double>(l.rounds) / std::max(1, l.points);
    const std::string colour = " lc rgb '" + group_colour(i) + "' ";
    top += std::string(top.empty() ? "plot " : ", \\\n     ") + name +
           " using 1:2 with lines lw 2" + colour + "title " +
           gp_string(l.label + " (" + gp_num(per_point) + " rounds per point)");
    bottom += std::string(bottom.empty() ? "plot " : ", \\\n     ") + name +
              " using 1:3 with steps lw 2" + colour + "notitle";
  }
  const std::string arrow = drift ? "set arrow 1 from " + gp_num(axis(drift_s)) + ", graph 0 to " +
                                        gp_num(axis(drift_s)) +
                                        ", graph 1 nohead dt 2 lc rgb '#555555'\n"
                                  : "";
  std::string& b = fig.body;
  b += "set multiplot\nset lmargin at screen 0.1\nset rmargin at screen 0.72\n";
  b += "set grid lc rgb '#e0e0e0'\nset key at screen 0.99, screen 0.9 right top\n";
  b += "set xrange [0:" + gp_num(axis(t_max)) + "]\n" + arrow;
  b += "set tmargin at screen 0.93\nset bmargin at screen 0.55\nset format x ''\n";
  b += "set ylabel " + gp_string(f.series + (f.scale != 1 ? " × " + gp_num(f.scale) : "")) + "\n";
  b += top + "\n";
  b += "set tmargin at screen 0.5\nset bmargin at screen 0.1\nset format x '%g'\n";
  b += "set xlabel " + gp_string("time (" + axis.unit + ")") + "\n";
  b += "set ylabel 'bytes on air (rounds, cumulative)'\nset format y '%.1s%c'\n";
  b += bottom + "\n";
  b += "unset multiplot\n";
  return fig;
}

}  // namespace tinyfleet
