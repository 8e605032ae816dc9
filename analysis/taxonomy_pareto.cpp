#include "analysis/taxonomy_pareto.hpp"

#include <algorithm>

#include "analysis/taxonomy_figures_db.hpp"
#include "analysis/taxonomy_table.hpp"

namespace tinyfleet {
namespace {
constexpr int kPointTypes[] = {7, 5, 9};  // filled circle, square, triangle
}  // namespace

void mark_pareto_front(std::vector<ParetoPoint>& points) {
  for (auto& p : points) {
    p.front = std::none_of(points.begin(), points.end(), [&](const ParetoPoint& q) {
      return q.energy_uj <= p.energy_uj && q.accuracy >= p.accuracy &&
             (q.energy_uj < p.energy_uj || q.accuracy > p.accuracy);
    });
  }
}

std::vector<ParetoPoint> taxonomy_pareto_points(const TaxonomyExperiment& experiment,
                                                const std::string& results_sqlite) {
  // The experiment's own rows and sections, with these two columns instead of its metrics.
  TaxonomyExperiment x = experiment;
  x.expectations.clear();
  x.figures.clear();
  TaxonomyMetric accuracy, energy;
  accuracy.name = "accuracy";
  accuracy.field = "accuracy";
  accuracy.scale = 100;
  energy.name = "energy";
  energy.field = "efficiency.energy_per_correct_j";
  energy.scale = 1e6;
  x.metrics = {accuracy, energy};
  const TaxonomyTable t = build_taxonomy_table(x, results_sqlite);
  std::vector<ParetoPoint> out;
  for (const auto& section : t.sections)
    for (const auto& row : t.rows) {
      const TaxonomyCell* a = t.find(section, row, 0);
      const TaxonomyCell* e = t.find(section, row, 1);
      if (!a || !e || a->values.empty() || e->values.empty() || !(e->mean() > 0)) continue;
      out.push_back({experiment.id, section, row, e->mean(), a->mean(), false});
    }
  return out;
}

std::optional<Figure> pareto_figure(const std::vector<ParetoPoint>& points, std::string& why_not) {
  if (points.empty()) {
    why_not = "no cell has both an accuracy and an energy per correct prediction";
    return std::nullopt;
  }
  std::vector<std::string> experiments;
  for (const auto& p : points)
    if (std::find(experiments.begin(), experiments.end(), p.experiment) == experiments.end())
      experiments.push_back(p.experiment);
  Figure fig;
  fig.id = "pareto";
  fig.title = "Energy vs accuracy across the experiments, with the Pareto front";
  fig.caption =
      "One point per (experiment, section, row): the mean over seeds of the groups' energy per "
      "correct prediction (log scale) and accuracy. Black steps: the Pareto front — no other "
      "point is both cheaper and more accurate; its points are numbered. Experiments differ in "
      "device, data and duration, so the front says which settings are efficient, not which "
      "learner is best in general; energy includes sleep between samples, so a slow stream "
      "costs more per prediction.";
  std::string plot;
  for (std::size_t i = 0; i < experiments.size(); ++i) {
    const std::string name = "$e" + std::to_string(i);
    fig.data += name + " << EOD\n";
    for (const auto& p : points)
      if (p.experiment == experiments[i])
        fig.data += gp_num(p.energy_uj) + " " + gp_num(p.accuracy) + "\n";
    fig.data += "EOD\n";
    // Seven colours: a point type per round of them keeps more experiments apart.
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + name +
            " using 1:2 with points pt " + std::to_string(kPointTypes[(i / 7) % 3]) +
            " ps 1.1 lc rgb '" + group_colour(i) + "' title " + gp_string(experiments[i]);
  }
  std::vector<ParetoPoint> front;
  for (const auto& p : points)
    if (p.front) front.push_back(p);
  std::sort(front.begin(), front.end(), [](const ParetoPoint& a, const ParetoPoint& b) {
    return a.energy_uj != b.energy_uj ? a.energy_uj < b.energy_uj : a.accuracy < b.accuracy;
  });
  // The front's points are numbered (the labels of close points would
  // overlap) and named in the caption; equal points share a number (e.g. a
  // group that no swept value touches).
  fig.data += "$front << EOD\n";
  std::string names;
  int number = 0;
  for (std::size_t i = 0; i < front.size();) {
    std::string label;
    std::size_t j = i;
    for (; j < front.size() && front[j].energy_uj == front[i].energy_uj &&
           front[j].accuracy == front[i].accuracy;
         ++j) {
      const auto& p = front[j];
      label += (label.empty() ? "" : " & ") + p.experiment + " " + p.row +
               (p.section.empty() ? "" : " [" + p.section + "]");
    }
    ++number;
    fig.data += gp_num(front[i].energy_uj) + " " + gp_num(front[i].accuracy) + " " +
                gp_label(std::to_string(number)) + "\n";
    names += (names.empty() ? "" : "; ") + std::to_string(number) + " " + label;
    i = j;
  }
  fig.data += "EOD\n";
  fig.caption += " Front, cheapest first: " + names + ".";
  plot +=
      ", \\\n     $front using 1:2 with steps lw 1.5 lc rgb '#000000' title 'Pareto front', \\\n"
      "     $front using 1:2:3 with labels offset char 0,0.8 font ',9' notitle";
  std::string& b = fig.body;
  b += "set grid lc rgb '#e0e0e0'\nset key outside right top\nset logscale x\n";
  b += "set offsets graph 0.02, graph 0.05, 0, 0\nset yrange [0:105]\n";
  b += "set xlabel 'energy per correct prediction (µJ)'\nset ylabel 'accuracy (%)'\n";
  b += plot + "\n";
  return fig;
}

}  // namespace tinyfleet
