#include "analysis/calibration_phases.hpp"

#include "analysis/recovery.hpp"

namespace tinyfleet {
namespace {

constexpr std::size_t kPre = 0, kTransient = 1, kPost = 2;

// Where the predictions pending since a drift's start go once its span ends.
std::size_t resolved_phase(const DriftOutcome& d) {
  return recovery_status(d) == RecoveryStatus::NotDegraded ? kPost : kTransient;
}

}  // namespace

void PhasedCalibration::add(double t, double confidence, bool correct,
                            const std::vector<DriftOutcome>& drifts) {
  while (current_ + 1 < static_cast<int>(drifts.size()) &&
         drifts[static_cast<std::size_t>(current_ + 1)].start_s < t) {
    if (current_ >= 0) {
      phase_[resolved_phase(drifts[static_cast<std::size_t>(current_)])] += pending_;
      pending_ = {};
    }
    ++current_;
  }
  if (current_ < 0) {
    phase_[kPre].add(confidence, correct);
    return;
  }
  if (drifts[static_cast<std::size_t>(current_)].recovered) {
    if (pending_.n > 0) {  // once, at the first prediction after the recovery tick
      phase_[kTransient] += pending_;
      pending_ = {};
    }
    phase_[kPost].add(confidence, correct);
    return;
  }
  pending_.add(confidence, correct);
}

std::array<CalibrationCounts, 3> PhasedCalibration::phases(
    const std::vector<DriftOutcome>& drifts) const {
  std::array<CalibrationCounts, 3> out = phase_;
  if (current_ >= 0) {
    const DriftOutcome& d = drifts[static_cast<std::size_t>(current_)];
    out[d.recovered ? kTransient : resolved_phase(d)] += pending_;
  }
  return out;
}

}  // namespace tinyfleet
