#pragma once
// One experiment's table for `tinyfleet reproduce taxonomy`: the gathered
// results of its sweep (results.sqlite, sim/sweep_gather.hpp) reduced to
// sections × rows × metrics, each cell the mean ± sample std over the points
// (seeds) that share its section and row. A point's value is missing when its
// summary.json has null there (e.g. no drift recovered): the cell counts those.
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analysis/taxonomy_spec.hpp"

namespace tinyfleet {

struct TaxonomyCell {
  std::vector<double> values;  // one per point that had a number, in point order
  // The seed of each value's point (`param.seed`), parallel to `values`; empty
  // when the sweep does not sweep seeds. The verdicts pair two cells by it.
  std::vector<long long> seeds;
  std::size_t points = 0;  // points that fed this cell (with or without a number)
  double mean() const;     // NaN if no value
  double stddev() const;   // sample std (n − 1); 0 for one value; NaN if none
};

struct TaxonomyTable {
  std::string id, title;
  std::vector<std::pair<std::string, std::string>> tags;  // taxonomy.<tag> of the first point
  std::vector<std::string> sections;                      // in point order ("" = no sections)
  std::vector<std::string> rows;                          // in point order
  // (section, row) → one cell per metric of the experiment.
  std::map<std::pair<std::string, std::string>, std::vector<TaxonomyCell>> cells;
  std::size_t points = 0, points_ok = 0;
  // Per section, its "name=value" parts, one per swept section key (for a
  // figure that splits lines by one of them).
  std::map<std::string, std::vector<std::string>> section_parts;
  // Per point (that ran), its row when rows are a swept key, and its section
  // when sections are swept keys (else ""): the figures that draw points'
  // own data (rounds) group them by these.
  std::map<long long, std::pair<std::string, std::string>> point_labels;  // (section, row)
  const TaxonomyCell* find(const std::string& section, const std::string& row,
                           std::size_t metric) const;
  std::string tag(const std::string& name) const;  // "" if absent
};

// Reads DIR/results.sqlite. Throws std::runtime_error naming the file on a
// missing table or a `rows`/`sections` key that is not a swept parameter.
TaxonomyTable build_taxonomy_table(const TaxonomyExperiment& experiment,
                                   const std::string& results_sqlite);

// A short row label for a swept value: "{kind: adwin, delta: 0.002}" → "adwin(delta=0.002)".
std::string taxonomy_value_label(const std::string& value_text);

}  // namespace tinyfleet
