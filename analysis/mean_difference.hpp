#pragma once
// Confidence intervals on a difference of means by Student's t, for the
// taxonomy verdicts (analysis/taxonomy_verdict.hpp):
// - paired: per pair d = left − right; mean(d) ± t(n−1) · sd(d)/√n — for two
//   cells measured on the same seeds (same streams, same drift);
// - Welch: mean(L) − mean(R) ± t(ν) · √(sL²/nL + sR²/nR), ν by
//   Welch–Satterthwaite — for cells that do not share their seeds;
// - one sample: mean(L) − c ± t(n−1) · sd(L)/√n — a cell against a number.
// Each needs at least two values per sample (no spread from one). A zero
// spread gives the point interval [diff, diff].
#include <cstddef>
#include <vector>

namespace tinyfleet {

struct MeanDifference {
  double diff = 0;           // mean of left − right
  double low = 0, high = 0;  // the interval's bounds
  double df = 0;             // t's degrees of freedom; 0 when the spread is 0 (no t needed)
};

// The p-quantile of Student's t with df > 0 degrees of freedom (Boost.Math).
double student_t_quantile(double p, double df);

// `level` is the interval's confidence, e.g. 0.95. Throws std::invalid_argument
// on fewer than two values (paired: pairs, of equal sizes).
MeanDifference paired_difference(const std::vector<double>& left, const std::vector<double>& right,
                                 double level);
MeanDifference welch_difference(const std::vector<double>& left, const std::vector<double>& right,
                                double level);
MeanDifference one_sample_difference(const std::vector<double>& values, double constant,
                                     double level);

}  // namespace tinyfleet
