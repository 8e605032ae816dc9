#include "analysis/classification_counts.hpp"

#include <cmath>

namespace tinyfleet {
namespace {

// (p0 - pe) / (1 - pe) with both probabilities given as counts over n. The
// pe = 1 test is exact (integers), so a perfect baseline gives 0, as in River,
// instead of a huge value from a rounding residue.
double kappa_from_counts(uint64_t correct, long double expected_correct, uint64_t n,
                         bool expected_is_everything) {
  if (n == 0 || expected_is_everything) return 0.0;
  const long double p0 = static_cast<long double>(correct) / n;
  const long double pe = expected_correct / n;
  return static_cast<double>((p0 - pe) / (1.0L - pe));
}

}  // namespace

ClassificationCounts& ClassificationCounts::operator+=(const ClassificationCounts& o) {
  n += o.n;
  correct += o.correct;
  majority_correct += o.majority_correct;
  no_change_correct += o.no_change_correct;
  if (classes.size() < o.classes.size()) classes.resize(o.classes.size());
  for (std::size_t i = 0; i < o.classes.size(); ++i) {
    classes[i].truth += o.classes[i].truth;
    classes[i].predicted += o.classes[i].predicted;
    classes[i].hits += o.classes[i].hits;
  }
  return *this;
}

double accuracy(const ClassificationCounts& c) {
  return c.n ? static_cast<double>(c.correct) / static_cast<double>(c.n) : 0.0;
}

double cohen_kappa(const ClassificationCounts& c) {
  // pe·n = Σ true_c·pred_c / n; pe = 1 exactly when Σ true_c·pred_c = n².
  unsigned __int128 agreement = 0;
  for (const auto& k : c.classes)
    agreement += static_cast<unsigned __int128>(k.truth) * k.predicted;
  const unsigned __int128 n2 = static_cast<unsigned __int128>(c.n) * c.n;
  const long double expected = c.n ? static_cast<long double>(agreement) / c.n : 0.0L;
  return kappa_from_counts(c.correct, expected, c.n, c.n && agreement == n2);
}

double kappa_m(const ClassificationCounts& c) {
  return kappa_from_counts(c.correct, c.majority_correct, c.n, c.majority_correct == c.n);
}

double kappa_t(const ClassificationCounts& c) {
  return kappa_from_counts(c.correct, c.no_change_correct, c.n, c.no_change_correct == c.n);
}

double recall(const ClassificationCounts& c, std::size_t cls) {
  if (cls >= c.classes.size() || c.classes[cls].truth == 0) return 0.0;
  return static_cast<double>(c.classes[cls].hits) / static_cast<double>(c.classes[cls].truth);
}

double g_mean(const ClassificationCounts& c) {
  // exp(mean log r): the n-th root of the product without underflow for many classes.
  double log_sum = 0;
  std::size_t k = 0;
  for (std::size_t i = 0; i < c.classes.size(); ++i) {
    if (!c.present(i)) continue;
    const double r = recall(c, i);
    if (r == 0.0) return 0.0;
    log_sum += std::log(r);
    ++k;
  }
  return k ? std::exp(log_sum / static_cast<double>(k)) : 0.0;
}

double balanced_accuracy(const ClassificationCounts& c) {
  double sum = 0;
  std::size_t k = 0;
  for (std::size_t i = 0; i < c.classes.size(); ++i) {
    if (!c.present(i)) continue;
    sum += recall(c, i);
    ++k;
  }
  return k ? sum / static_cast<double>(k) : 0.0;
}

}  // namespace tinyfleet
