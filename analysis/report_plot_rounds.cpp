// Federated learning rounds (events round_start / round_end). A round lasts
// seconds in a run of hours, so a time axis would draw slivers: rounds are
// laid out one per slot in order, and each session is labelled with its time.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/report_plots.hpp"

namespace tinyfleet {
namespace {

std::string time_text(double s, const TimeAxis& x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f %s", x(s), x.unit.c_str());
  return buf;
}

// 1, 2 or 5 times a power of ten, at least `v`.
double nice_step(double v) {
  if (v <= 0) return 1;
  const double p = std::pow(10, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= v) return m * p;
  return 10 * p;
}

}  // namespace

std::optional<Figure> rounds_figure(const RunReport& run, std::string& why_not) {
  if (run.rounds.empty()) {
    why_not = "no federated rounds in this run (events.csv has no round_* events)";
    return std::nullopt;
  }
  std::vector<RoundReport> rounds = run.rounds;
  auto start_of = [](const RoundReport& r) { return r.start_s >= 0 ? r.start_s : r.end_s; };
  std::stable_sort(rounds.begin(), rounds.end(), [&](const RoundReport& a, const RoundReport& b) {
    return start_of(a) < start_of(b);
  });
  const TimeAxis x = time_axis_for(run.duration_s);
  Figure fig;
  fig.id = "rounds";
  fig.title = "Federated rounds";
  fig.height = 480;
  bool any_accuracy = false;
  double max_clients = 1, max_duration = 0;
  std::string sessions_tics, separators;
  int sessions = 0;
  fig.data = "$rounds << EOD\n# slot selected received test_accuracy duration_s\n";
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    const RoundReport& r = rounds[i];
    const double duration = r.start_s >= 0 && r.end_s >= 0 ? r.end_s - r.start_s : 0;
    const double selected = std::max(0.0, r.selected), received = std::max(0.0, r.received);
    max_clients = std::max({max_clients, selected, received});
    max_duration = std::max(max_duration, duration);
    any_accuracy = any_accuracy || r.test_accuracy >= 0;
    const double slot = static_cast<double>(i + 1);
    fig.data += gp_num(slot) + " " + gp_num(selected) + " " + gp_num(received) + " " +
                (r.test_accuracy >= 0 ? gp_num(r.test_accuracy) : "NaN") + " " + gp_num(duration) +
                "\n";
    if (i == 0 || rounds[i - 1].session != r.session) {
      ++sessions;
      // A session that starts within a minute of a fleet alarm was started by it.
      const bool by_alarm =
          std::any_of(run.fleet_alarms.begin(), run.fleet_alarms.end(),
                      [&](double t) { return t <= start_of(r) && start_of(r) - t < 60; });
      sessions_tics += std::string(sessions_tics.empty() ? "" : ", ") +
                       gp_string(time_text(start_of(r), x) + (by_alarm ? " (alarm)" : "")) + " " +
                       gp_num(slot);
      if (i > 0)
        separators += "set arrow from " + gp_num(slot - 0.5) + ", graph 0 to " +
                      gp_num(slot - 0.5) + ", graph 1 nohead dt 2 lc rgb '#999999'\n";
    }
  }
  fig.data += "EOD\n";
  const std::string xrange =
      "set xrange [0.4:" + gp_num(static_cast<double>(rounds.size()) + 0.6) + "]\n";
  std::string& b = fig.body;
  b += "set multiplot\nset lmargin at screen 0.08\nset rmargin at screen 0.84\n";
  b += "set tmargin at screen 0.90\nset bmargin at screen 0.46\n";
  b += "set title " +
       gp_string(std::to_string(rounds.size()) + " rounds in " + std::to_string(sessions) +
                 " sessions (one slot per round, in order; dashed: a new session)") +
       " font ',12'\n";
  b += xrange + "set yrange [0:" + gp_num(std::ceil(max_clients * 1.15)) + "]\n";
  b += "set format x ''\nset xtics 1 scale 0\nset ylabel 'clients'\n";
  b += "set grid ytics lc rgb '#e0e0e0'\nset key at screen 0.99, screen 0.9 right top\n";
  b += "set style fill solid 0.85 noborder\n";
  b += separators;
  std::string plot =
      "plot $rounds using 1:2:(0.8) with boxes fs solid 0.3 noborder lc rgb '#0072B2' title "
      "'selected', \\\n     $rounds using 1:3:(0.5) with boxes lc rgb '#0072B2' title 'heard from'";
  if (any_accuracy) {
    b += "set y2range [0:1]\nset y2tics\nset ytics nomirror\nset y2label 'global test accuracy'\n";
    plot +=
        ", \\\n     $rounds using 1:4 axes x1y2 with linespoints pt 7 ps 0.8 lw 1.5 lc rgb "
        "'#D55E00' title 'test accuracy'";
  }
  b += plot + "\n";
  b += "unset title\nunset y2tics\nunset y2label\nset ytics mirror\n";
  b += "set tmargin at screen 0.42\nset bmargin at screen 0.22\n";
  b += "set yrange [0:" + gp_num(std::max(1e-3, max_duration * 1.2)) + "]\n";
  b += "set ylabel 'duration (s)'\nset format x '%g'\nunset key\nset ytics " +
       gp_num(nice_step(max_duration * 1.2 / 3)) + "\n";
  b += "set xtics (" + sessions_tics + ") rotate by -30 scale 0\n";
  b += "set xlabel 'session start (' . " + gp_string(x.unit) + " . ')'\n";
  b += "plot $rounds using 1:5:(0.5) with boxes lc rgb '#666666' notitle\n";
  b += "unset multiplot\n";
  fig.caption =
      "One slot per federated round, in order, grouped by session (labelled with its "
      "start time; \"alarm\": started by a fleet alarm). Light: clients selected; dark: "
      "clients whose update arrived. Below: how long each round took." +
      std::string(any_accuracy ? " Orange: the global model's accuracy on the server's "
                                 "hold-out set after the round."
                               : "");
  return fig;
}

}  // namespace tinyfleet
