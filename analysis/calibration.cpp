#include "analysis/calibration.hpp"

#include <algorithm>
#include <cmath>

namespace tinyfleet {

uint32_t confidence_micro(double confidence) {
  if (!(confidence > 0)) return 0;  // also NaN
  if (confidence >= 1) return static_cast<uint32_t>(kConfidenceMicro);
  return static_cast<uint32_t>(std::llround(confidence * static_cast<double>(kConfidenceMicro)));
}

std::size_t calibration_bin(uint32_t micro) {
  const uint64_t b = uint64_t{micro} * kCalibrationBins / kConfidenceMicro;
  return static_cast<std::size_t>(std::min<uint64_t>(b, kCalibrationBins - 1));
}

void CalibrationBins::add(uint32_t micro, bool correct_, int sign) {
  const std::size_t b = calibration_bin(micro);
  // Unsigned wrap-around makes a removal (sign −1) exact.
  const uint64_t s = sign > 0 ? 1 : ~uint64_t{0};
  n[b] += s;
  correct[b] += correct_ ? s : 0;
  confidence[b] += s * uint64_t{micro};
}

CalibrationBins& CalibrationBins::operator+=(const CalibrationBins& o) {
  for (std::size_t b = 0; b < kCalibrationBins; ++b) {
    n[b] += o.n[b];
    correct[b] += o.correct[b];
    confidence[b] += o.confidence[b];
  }
  return *this;
}

uint64_t CalibrationBins::total() const {
  uint64_t t = 0;
  for (uint64_t v : n) t += v;
  return t;
}

double expected_calibration_error(const CalibrationBins& bins) {
  const uint64_t total = bins.total();
  if (total == 0) return 0;
  // Σ_b |B_b|/n · |acc_b − conf_b| = Σ_b |correct_b − Σconf_b| / n, exact in integers.
  uint64_t sum = 0;
  for (std::size_t b = 0; b < kCalibrationBins; ++b) {
    const uint64_t right = bins.correct[b] * kConfidenceMicro, conf = bins.confidence[b];
    sum += right > conf ? right - conf : conf - right;
  }
  return static_cast<double>(sum) / static_cast<double>(kConfidenceMicro) /
         static_cast<double>(total);
}

void CalibrationCounts::add(double confidence, bool correct_) {
  const double c = std::clamp(std::isnan(confidence) ? 0.0 : confidence, 0.0, 1.0);
  bins.add(confidence_micro(c), correct_);
  n += 1;
  correct += correct_;
  confidence_sum += c;
  const double r = correct_ ? 1.0 : 0.0;
  brier_sum += (c - r) * (c - r);
  if (correct_)
    nll_right -= std::log(std::max(c, kNllFloor));
  else
    nll_wrong -= std::log(std::max(1.0 - c, kNllFloor));
}

CalibrationCounts& CalibrationCounts::operator+=(const CalibrationCounts& o) {
  bins += o.bins;
  n += o.n;
  correct += o.correct;
  confidence_sum += o.confidence_sum;
  brier_sum += o.brier_sum;
  nll_right += o.nll_right;
  nll_wrong += o.nll_wrong;
  return *this;
}

double ece(const CalibrationCounts& c) {
  return expected_calibration_error(c.bins);
}

double brier(const CalibrationCounts& c) {
  return c.n ? c.brier_sum / static_cast<double>(c.n) : 0;
}

double nll(const CalibrationCounts& c, int classes) {
  if (c.n == 0) return 0;
  const double wrong = static_cast<double>(c.n - c.correct);
  const double spread = std::log(static_cast<double>(std::max(classes - 1, 1)));
  return (c.nll_right + c.nll_wrong + wrong * spread) / static_cast<double>(c.n);
}

double mean_confidence(const CalibrationCounts& c) {
  return c.n ? c.confidence_sum / static_cast<double>(c.n) : 0;
}

double confidence_gap(const CalibrationCounts& c) {
  if (c.n == 0) return 0;
  return mean_confidence(c) - static_cast<double>(c.correct) / static_cast<double>(c.n);
}

void WindowedCalibration::add(double confidence, bool correct) {
  const uint32_t micro = confidence_micro(confidence);
  if (filled_ == ring_.size()) {
    const uint32_t old = ring_[head_];
    bins_.add(old & ~kCorrectBit, (old & kCorrectBit) != 0, -1);
  } else {
    ++filled_;
  }
  ring_[head_] = micro | (correct ? kCorrectBit : 0);
  bins_.add(micro, correct);
  head_ = (head_ + 1) % ring_.size();
}

}  // namespace tinyfleet
