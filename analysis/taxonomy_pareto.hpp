#pragma once
// Energy against accuracy across every experiment of a taxonomy run: one
// point per (experiment, section, row) cell — its groups' accuracy and
// energy per correct prediction (summary.json `accuracy`,
// `efficiency.energy_per_correct_j`, means over seeds) — and the Pareto front
// of those points (lowest energy for its accuracy). Energy per correct
// prediction, not energy per run: the experiments differ in duration and
// sample rate, so only a per-prediction cost compares them.
#include <optional>
#include <string>
#include <vector>

#include "analysis/report_gnuplot.hpp"
#include "analysis/taxonomy_spec.hpp"

namespace tinyfleet {

struct ParetoPoint {
  std::string experiment, section, row;
  double energy_uj = 0;  // per correct prediction, µJ
  double accuracy = 0;   // %
  bool front = false;
};

// Marks `front` on the points no other point dominates: another point with
// energy ≤ and accuracy ≥, one of them strictly. Equal points are both on it.
void mark_pareto_front(std::vector<ParetoPoint>& points);

// The cells of one experiment (its results.sqlite) with both numbers.
std::vector<ParetoPoint> taxonomy_pareto_points(const TaxonomyExperiment& experiment,
                                                const std::string& results_sqlite);

// The plot (id "pareto"): log energy axis, a colour per experiment, the
// front as a step line with its points labelled. nullopt with `why_not` if
// there is no point.
std::optional<Figure> pareto_figure(const std::vector<ParetoPoint>& points, std::string& why_not);

}  // namespace tinyfleet
