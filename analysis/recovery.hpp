#pragma once
// Recovery time after a drift, from the windowed accuracy sampled at the
// output ticks (or after every sample offline):
// - the drift's reference level L is the windowed accuracy at the last tick at
//   or before its start;
// - the drift has hurt once a tick after the start shows an accuracy < L − ε;
// - it has recovered at the first later tick whose accuracy is ≥ L − ε again:
//   recovery time = that tick − start.
// Watching a drift stops at the next drift's start (a tick exactly at it
// still counts) or at the last tick. Outcomes: recovered (a time), never
// recovered (hurt and not back: no number), not degraded (never below L − ε),
// and, outside any statistics, no baseline (no tick before the start) or
// unobserved (no tick after it: the run or the device ended first).
// ε is absolute accuracy (0.02 = two points); it should exceed the window's
// own noise, about √(p(1−p)/W) for W samples at accuracy p.
#include <cstdint>
#include <optional>
#include <vector>

#include "analysis/results.hpp"

namespace tinyfleet {

inline constexpr double kDefaultRecoveryEpsilon = 0.02;

enum class RecoveryStatus { NoBaseline, Unobserved, NotDegraded, NeverRecovered, Recovered };
RecoveryStatus recovery_status(const DriftOutcome& d);
// "no_baseline", "unobserved", "not_degraded", "never_recovered", "recovered".
const char* recovery_status_name(RecoveryStatus s);

// One tick: windowed accuracy `accuracy` at time `t` (ticks in time order;
// `drifts` sorted by start, as score_detections also needs).
void observe_recovery(std::vector<DriftOutcome>& drifts, double t, double accuracy, double epsilon);

struct RecoveryTally {
  uint64_t recovered = 0, never_recovered = 0, not_degraded = 0, unscored = 0;
  double recovery_sum_s = 0;
  // Drifts starting after `horizon_s` are not counted (as in DetectionTally).
  void add(const std::vector<DriftOutcome>& outcomes, double horizon_s);
  std::optional<double> mean_recovery_s() const;  // over recovered drifts
};

}  // namespace tinyfleet
