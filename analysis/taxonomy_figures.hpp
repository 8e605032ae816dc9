#pragma once
// The figures of one experiment of the taxonomy suite, as gnuplot scripts
// (analysis/report_gnuplot.hpp), from its `experiment.figures`:
//   series   a metrics.csv series of each group over time, the mean over the
//            experiment's points (seeds), with the mean time of the first drift;
//   scatter  one point per (section, row) at the means of two table columns,
//            a colour per section, each point labelled with its row;
//   lines    those points joined into a line per row (and value of a section
//            key), in the order of x;
//   rounds   per row (a swept key): a group's series over time and the
//            cumulative bytes of the federated rounds (round_end events),
//            means over the row's points (seeds).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "analysis/report_gnuplot.hpp"
#include "analysis/taxonomy_spec.hpp"
#include "analysis/taxonomy_table.hpp"

namespace tinyfleet {

// Figure ids are "<experiment id>-<n>" (n from 1). A figure with nothing to
// draw is left out and named in `omitted` with the reason.
std::vector<Figure> taxonomy_figures(const TaxonomyExperiment& experiment,
                                     const TaxonomyTable& table, const std::string& results_sqlite,
                                     std::vector<std::string>& omitted);

// Whether figure `f` draws row `row` (its `rows` list, or every row).
inline bool figure_shows(const TaxonomyFigure& f, const std::string& row) {
  return f.rows.empty() || std::find(f.rows.begin(), f.rows.end(), row) != f.rows.end();
}

// The `rounds` kind (analysis/taxonomy_figure_rounds.cpp); nullopt with
// `why_not` when no point has the series.
std::optional<Figure> taxonomy_rounds_figure(const TaxonomyFigure& f, const TaxonomyTable& t,
                                             const std::string& results_sqlite,
                                             std::string& why_not);

}  // namespace tinyfleet
