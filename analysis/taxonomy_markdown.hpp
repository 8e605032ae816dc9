#pragma once
// DIR/taxonomy.md of `tinyfleet reproduce taxonomy`: the experiments grouped by
// the survey's regime (taxonomy.md §1), per experiment its tags, its table
// (rows × metrics, per section) and a verdict line per expectation. Holds no
// time, host or path: the same results give the same bytes.
#include <string>
#include <vector>

#include "analysis/taxonomy_pareto.hpp"
#include "analysis/taxonomy_spec.hpp"
#include "analysis/taxonomy_table.hpp"
#include "analysis/taxonomy_verdict.hpp"

namespace tinyfleet {

struct TaxonomyResult {
  TaxonomyExperiment experiment;
  TaxonomyTable table;
  std::vector<TaxonomyVerdict> verdicts;
};

// With `pareto` (analysis/taxonomy_pareto.hpp), a last section lists its front.
std::string taxonomy_markdown(const std::vector<TaxonomyResult>& results, bool quick,
                              const std::vector<ParetoPoint>& pareto = {});

}  // namespace tinyfleet
