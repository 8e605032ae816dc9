#pragma once
// The sufficient statistics of a prequential classification score, and the
// metrics computed from them with River's semantics (river.metrics, the
// `confusion.pyx` generation that still had Kappa-M and Kappa-T; full
// definitions in docs/METRICS.md):
//
//   accuracy          correct / n                                   (0 if n = 0)
//   Cohen's kappa     (p0 - pe) / (1 - pe), pe = Σ_c true_c·pred_c / n²
//   Kappa-M           pe = majority_correct / n (the majority-class classifier)
//   Kappa-T           pe = no_change_correct / n (the no-change classifier)
//                     every kappa is 0 when n = 0 or pe = 1 (River's ZeroDivisionError → 0)
//   recall_c          hits_c / true_c                               (0 if true_c = 0)
//   G-mean            (Π recall_c)^(1/K) over the K classes present  (0 if K = 0; 0 if any
//                     recall is 0)
//   balanced accuracy Σ recall_c / K over the same K classes         (0 if K = 0)
//
// "Classes present" are River's `cm.classes`: every class seen at least once as
// a true label OR as a prediction. A class only ever predicted enters G-mean and
// balanced accuracy with recall 0. Classes never seen at all do not count.
//
// The counts are additive: summing them over devices gives the pooled score of
// a group, as if its devices' predictions formed one stream.
#include <cstdint>
#include <vector>

namespace tinyfleet {

struct ClassTally {
  uint64_t truth = 0;      // samples whose true label is this class (confusion row sum)
  uint64_t predicted = 0;  // samples predicted as this class (column sum)
  uint64_t hits = 0;       // both (the diagonal cell)
};

struct ClassificationCounts {
  uint64_t n = 0, correct = 0;
  uint64_t majority_correct = 0;    // samples the majority-class classifier got right
  uint64_t no_change_correct = 0;   // samples the no-change classifier got right
  std::vector<ClassTally> classes;  // by class id; may hold absent classes (all zero)

  ClassificationCounts& operator+=(const ClassificationCounts& o);
  bool present(std::size_t c) const {
    return c < classes.size() && (classes[c].truth > 0 || classes[c].predicted > 0);
  }
};

double accuracy(const ClassificationCounts& c);
double cohen_kappa(const ClassificationCounts& c);
double kappa_m(const ClassificationCounts& c);
double kappa_t(const ClassificationCounts& c);
double recall(const ClassificationCounts& c, std::size_t cls);
double g_mean(const ClassificationCounts& c);
double balanced_accuracy(const ClassificationCounts& c);

}  // namespace tinyfleet
