#pragma once
// Incremental prequential evaluation of one classifier, fed one (y_true,
// y_pred) pair at a time: the additive class counts behind accuracy, the
// kappas, G-mean, per-class recall and balanced accuracy
// (analysis/classification_counts.hpp), plus accuracy over a sliding window
// (counted in samples) and with a fading factor α (Gama et al. 2013, MOA's
// FadingFactorClassificationPerformanceEvaluator):
//   S ← α·S + [y_pred = y_true],  N ← α·N + 1,  fading accuracy = S / N   (0 before any sample)
//
// The two baselines behind Kappa-M and Kappa-T follow River's ConfusionMatrix:
// - majority-class classifier: after the sample is counted, the class with the
//   most true labels so far; it scores when that class is the sample's true
//   label. Ties go to the class whose label sorts first as text (River sorts
//   str(label)); integer labels compare as their decimal text ("10" < "9").
// - no-change classifier: scores when the true label equals the previous true
//   label; before the first sample the "previous" label is 0, as in River and
//   MOA (set_initial_previous() changes that, e.g. to none for text labels).
//
// Memory is O(classes + window): no K×K matrix (see confusion_matrix.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/classification_counts.hpp"
#include "analysis/prequential.hpp"

namespace tinyfleet {

inline constexpr double kDefaultFadingFactor = 0.999;  // MOA's default α

class ClassificationEvaluator {
 public:
  // window: samples in the sliding window (≥ 1); fading: α in (0, 1];
  // classes: expected number of class ids, reserved up front (more may come).
  ClassificationEvaluator(std::size_t window, double fading, std::size_t classes = 2);

  // Labels are class ids ≥ 0.
  void add(int y_true, int y_pred);

  // Optional text of each class id, used only to break majority-class ties
  // the way River does for text labels. The vector must outlive the evaluator.
  void set_class_names(const std::vector<std::string>* names) { names_ = names; }
  // The "previous true label" before the first sample; -1: none.
  void set_initial_previous(int label) { previous_ = label; }

  const ClassificationCounts& counts() const { return counts_; }
  uint64_t count() const { return counts_.n; }
  uint64_t correct() const { return counts_.correct; }
  double cumulative() const { return accuracy(counts_); }
  double windowed() const { return window_.windowed(); }
  uint64_t window_correct() const { return window_.window_correct(); }
  uint64_t window_count() const { return window_.window_count(); }
  double fading() const { return fading_weight_ > 0 ? fading_correct_ / fading_weight_ : 0.0; }
  int majority_class() const { return majority_; }  // -1 before the first sample

  // Bytes the evaluator would occupy on the device.
  std::size_t memory_bytes() const;

 private:
  bool sorts_before(int a, int b) const;  // River's tie rule for the majority class

  ClassificationCounts counts_;
  PrequentialAccuracy window_;
  double alpha_ = kDefaultFadingFactor, fading_correct_ = 0, fading_weight_ = 0;
  int majority_ = -1, previous_ = 0;
  const std::vector<std::string>* names_ = nullptr;
};

}  // namespace tinyfleet
