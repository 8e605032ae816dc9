#pragma once
// Confidence of a prediction (Learner::confidence, docs/METRICS.md
// "Calibration"): the probability a learner gives to the class it predicted.
// Host-side observation for the metrics and the policy: not counted as
// device operations (a device reading it would pay one exp per class).
//
// Integer networks emit integer scores, not probabilities, so their scores
// are de-scaled before a softmax. Our rule, the same for every integer
// kernel: the unit u is the score the kernel is trained to emit for the true
// class (TIFeD's target 16 — 15 with PocketNN arithmetic —, NITRO-D's 32, a
// BNN's full agreement `width`), and the temperature maps an output exactly at
// that target, against 0 for every other class, to probability kAnchor:
//   ℓ_c = s_c · ln(kAnchor·(C − 1) / (1 − kAnchor)) / u,   confidence = max_c softmax(ℓ)_c.
// Why: the raw fixed-point scale (e.g. pocket tanh's 128 = 1.0) makes every
// trained output nearly uniform (16/128 = 0.125), and raw integers (e^16)
// make everything certain; anchoring on the training target gives the same
// meaning — "as sure as a perfectly fitted sample" — to every kernel and
// class count. Equal scores (e.g. an untrained, all-zero network) give 1/C.
#include <algorithm>
#include <cmath>
#include <cstddef>

namespace tinyfleet {

inline constexpr double kConfidenceAnchor = 0.9;

// Largest softmax probability of `n` scores times `scale` (max-shifted, so
// large scores do not overflow). n <= 1: 1.
template <typename T>
double softmax_top(const T* scores, std::size_t n, double scale) {
  if (n <= 1) return 1.0;
  double top = static_cast<double>(scores[0]);
  for (std::size_t c = 1; c < n; ++c) top = std::max(top, static_cast<double>(scores[c]));
  double sum = 0;
  for (std::size_t c = 0; c < n; ++c)
    sum += std::exp((static_cast<double>(scores[c]) - top) * scale);
  return 1.0 / sum;  // the top term is exp(0) = 1
}

// The temperature of the anchoring rule above for C classes and unit u.
inline double anchored_scale(std::size_t classes, double unit) {
  if (classes <= 1 || unit <= 0) return 1.0;
  return std::log(kConfidenceAnchor * static_cast<double>(classes - 1) / (1 - kConfidenceAnchor)) /
         unit;
}

// Softmax confidence of integer scores under the anchoring rule.
template <typename T>
double anchored_confidence(const T* scores, std::size_t classes, double unit) {
  return softmax_top(scores, classes, anchored_scale(classes, unit));
}

}  // namespace tinyfleet
