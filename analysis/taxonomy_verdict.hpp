#pragma once
// Verdicts on an experiment's stated expectations (taxonomy.md §2), decided
// from its table alone by a 95 % Student-t confidence interval on the
// difference left − right (analysis/mean_difference.hpp):
// - two cells with values for the same seeds (one each): paired — the seeds
//   share streams and drift, so the per-seed differences carry the comparison;
// - two cells that do not (no seed axis, a seed without a value on one side
//   only): Welch's unpaired interval on the difference of the means;
// - a cell against a number: one-sample interval.
// `op` <, <=, >, >=: "held" when the interval lies entirely on the claimed side
// of 0, "did not hold" when entirely on the other side, else "inconclusive".
// `~` within T: "held" when the interval lies inside [−T, T], "did not hold"
// when entirely outside it, else inconclusive. A cell with no value, or one
// (n < 2: no spread), is inconclusive.
#include <string>
#include <vector>

#include "analysis/taxonomy_spec.hpp"
#include "analysis/taxonomy_table.hpp"

namespace tinyfleet {

struct TaxonomyVerdict {
  std::string claim, tag;
  std::string outcome;  // held | did not hold | inconclusive
  // The deciding numbers: both cells (mean ± std, n), the test, the mean
  // difference and its interval, e.g. "a A 90.0 ± 1.0 (n=3) > b A 80.0 ± 1.0
  // (n=3); paired t over 3 seeds: difference 10.00, 95 % CI [7.52, 12.48] (df 2)".
  std::string numbers;
};

std::vector<TaxonomyVerdict> judge_expectations(const TaxonomyExperiment& experiment,
                                                const TaxonomyTable& table);

// "12.345 ± 0.678" with the metric's decimals; "—" with no value; "(k/n)" when
// only k of the n points had a value.
std::string format_cell(const TaxonomyCell* cell, const TaxonomyMetric& metric);

}  // namespace tinyfleet
