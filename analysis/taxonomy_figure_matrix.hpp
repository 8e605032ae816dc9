#pragma once
// The `matrix` figure of the taxonomy suite (E5): one heat map per row (group)
// of its task-accuracy matrix R (summary.json `continual.accuracy_matrix`,
// docs/METRICS.md "Continual learning"), the mean over the experiment's points
// (seeds): row i = after task i, column j = task j, values in %. Forgetting
// shows as a column that fades below its diagonal cell.
#include <optional>
#include <string>

#include "analysis/report_gnuplot.hpp"
#include "analysis/taxonomy_spec.hpp"
#include "analysis/taxonomy_table.hpp"

namespace tinyfleet {

// None (with `why_not`) when no row of `table` has a matrix in results.sqlite.
std::optional<Figure> matrix_figure(const TaxonomyFigure& figure, const TaxonomyTable& table,
                                    const std::string& results_sqlite, std::string& why_not);

}  // namespace tinyfleet
