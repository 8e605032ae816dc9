#pragma once
// Calibration of a classifier's confidences (docs/METRICS.md "Calibration";
// reference taxonomy.md §3). Each prediction comes with the confidence c the
// learner gives to the class it predicted (Learner::confidence) and whether it
// was right (r ∈ {0, 1}). Over n predictions:
//   ECE   = Σ_b |B_b|/n · |acc(B_b) − conf(B_b)|, 15 equal-width bins
//           B_b = {c ∈ [b/15, (b+1)/15)}, the last bin closed at 1 (Guo et al. 2017);
//   Brier = mean (c − r)²  (top-label Brier: the squared error of the
//           predicted class's probability — all a learner reports);
//   NLL   = mean −ln q, q = the probability of the TRUE class: c when right,
//           else max(1 − c, 1e-12)/(K − 1) — the mass 1 − c spread evenly over
//           the K − 1 other classes (the learner only reports c), K the
//           stream's classes (K ≤ 2: all of 1 − c); c is clamped at 1e-12 too;
//   gap   = mean c − accuracy (> 0: over-confident).
// Counts are additive, so devices pool into groups. Confidences are also kept
// in integer micro-units (round(c·10⁶)), which the windowed version sums:
// integer sums commute, so a group's windowed ECE does not depend on the
// order devices report in.
#include <array>
#include <cstdint>
#include <vector>

namespace tinyfleet {

inline constexpr std::size_t kCalibrationBins = 15;
inline constexpr double kNllFloor = 1e-12;
inline constexpr uint64_t kConfidenceMicro = 1000000;  // micro-units per 1.0

// round(c·10⁶), c clamped to [0, 1].
uint32_t confidence_micro(double confidence);
// Bin of a confidence given in micro-units: floor(15·c), 1.0 in the last bin.
std::size_t calibration_bin(uint32_t micro);

// Integer per-bin counts: predictions, right ones, Σ confidence (micro-units).
struct CalibrationBins {
  std::array<uint64_t, kCalibrationBins> n{}, correct{}, confidence{};
  void add(uint32_t micro, bool correct_, int sign = 1);
  CalibrationBins& operator+=(const CalibrationBins& o);
  uint64_t total() const;
};
// ECE of integer bins; 0 with no prediction.
double expected_calibration_error(const CalibrationBins& b);

struct CalibrationCounts {
  CalibrationBins bins;
  uint64_t n = 0, correct = 0;
  double confidence_sum = 0, brier_sum = 0;
  double nll_right = 0;  // Σ −ln max(c, 1e-12) over right predictions
  double nll_wrong = 0;  // Σ −ln max(1 − c, 1e-12) over wrong ones (before the K − 1 spread)
  void add(double confidence, bool correct_);
  CalibrationCounts& operator+=(const CalibrationCounts& o);
};
double ece(const CalibrationCounts& c);
double brier(const CalibrationCounts& c);
double nll(const CalibrationCounts& c, int classes);
double mean_confidence(const CalibrationCounts& c);
double confidence_gap(const CalibrationCounts& c);  // mean confidence − accuracy

// ECE over a sliding window of the last `window` predictions (the same
// window as the windowed accuracy), from integer bins.
class WindowedCalibration {
 public:
  explicit WindowedCalibration(std::size_t window) : ring_(window > 0 ? window : 1) {}
  void add(double confidence, bool correct);
  const CalibrationBins& bins() const { return bins_; }
  double ece() const { return expected_calibration_error(bins_); }
  std::size_t window() const { return ring_.size(); }
  std::size_t memory_bytes() const { return ring_.capacity() * sizeof(uint32_t); }

 private:
  // One prediction packed in 4 bytes (the confidence in millionths, ≤ 10^6 <
  // 2^20, and the outcome in the top bit): the ring is the largest per-device
  // buffer of the simulator at 100 000 devices (docs/PERFORMANCE.md).
  static constexpr uint32_t kCorrectBit = uint32_t{1} << 31;
  std::vector<uint32_t> ring_;
  std::size_t head_ = 0, filled_ = 0;
  CalibrationBins bins_;
};

// Calibration phases around drifts (docs/METRICS.md): before the first drift,
// between a drift's start and its recovery, after it.
enum class CalibrationPhase { PreDrift = 0, Transient, PostRecovery };
inline constexpr std::array<const char*, 3> kCalibrationPhaseNames = {"pre_drift", "transient",
                                                                      "post_recovery"};

}  // namespace tinyfleet
