#pragma once
// Calibration split into phases around a device's drifts, with the recovery
// analysis (analysis/recovery.hpp) setting the boundaries. A prediction at
// time t belongs to the latest drift that started before it (start < t, the
// recovery analysis's convention):
//   pre_drift      no drift has started yet;
//   transient      from the drift's start to the tick at which it recovered
//                  (inclusive: a sample at that tick's time comes first);
//                  for a drift that hurt and never recovered, or whose
//                  outcome is unscored (no baseline, unobserved), up to the
//                  next drift's start or the end;
//   post_recovery  after that tick, up to the next drift's start; a drift
//                  that never degraded opens no transient: all of its span.
// The outcome is known online only once the drift recovers, so predictions
// since the start wait in a pending tally until the drift recovers, the next
// drift starts or the run ends.
#include <array>
#include <vector>

#include "analysis/calibration.hpp"
#include "analysis/results.hpp"

namespace tinyfleet {

class PhasedCalibration {
 public:
  // One prediction at time t; `drifts` sorted by start, their recovery state
  // as the ticks so far have set it.
  void add(double t, double confidence, bool correct, const std::vector<DriftOutcome>& drifts);
  // The three phases, pending predictions resolved by the drifts' outcomes now.
  std::array<CalibrationCounts, 3> phases(const std::vector<DriftOutcome>& drifts) const;

 private:
  std::array<CalibrationCounts, 3> phase_;
  CalibrationCounts pending_;
  int current_ = -1;  // latest drift started before the last prediction
};

}  // namespace tinyfleet
