#pragma once
// Verdicts on an experiment's stated expectations (taxonomy.md §2), decided
// from its table alone. For `left op right` with cells L and R (a constant has
// std 0): the difference of the means counts only when it is larger than
// std(L) + std(R) — the seeds' own spread. Then the expectation "held" if the
// means satisfy `op` and "did not hold" if they do not; a smaller difference,
// a cell with no value (e.g. no seed recovered) or with only one (no spread to
// judge by), is "inconclusive". For `left ~ right` (within w): "held" when
// |mean(L) − mean(R)| <= w, "did not hold" when it exceeds w by more than
// std(L) + std(R), otherwise inconclusive.
#include <string>
#include <vector>

#include "analysis/taxonomy_spec.hpp"
#include "analysis/taxonomy_table.hpp"

namespace tinyfleet {

struct TaxonomyVerdict {
  std::string claim, tag;
  std::string outcome;  // held | did not hold | inconclusive
  std::string numbers;  // the deciding numbers, e.g. "hybrid 41.2 ± 3.1 < passive 90.0 ± 10.2"
};

std::vector<TaxonomyVerdict> judge_expectations(const TaxonomyExperiment& experiment,
                                                const TaxonomyTable& table);

// "12.345 ± 0.678" with the metric's decimals; "—" with no value; "(k/n)" when
// only k of the n points had a value.
std::string format_cell(const TaxonomyCell* cell, const TaxonomyMetric& metric);

}  // namespace tinyfleet
