#pragma once
// How a group's windowed accuracy answered one injected drift: its level just
// before, its trough after, and when it came back within ε of that level.
#include "analysis/report_data.hpp"

namespace tinyfleet {

// Back within 3 accuracy points of the pre-drift level counts as recovered.
inline constexpr double kRecoveryEpsilon = 0.03;

struct Recovery {
  double drift_s = 0;          // start of the drift
  double level_before = 0;     // windowed accuracy at the last tick at or before drift_s
  double trough = 0;           // lowest windowed accuracy after drift_s (until `until_s`)
  double trough_s = 0;         // when
  bool dropped = false;        // trough < level_before − ε
  bool recovered = false;      // back ≥ level_before − ε after the trough
  double recovered_s = 0;      // first such tick
  double recovered_level = 0;  // windowed accuracy then
  double recovery_time_s() const { return recovered_s - drift_s; }
};

// The trough is searched in (drift.start_s, until_s): until the next drift or
// the end of the run. A window of accuracy right after a drift still holds
// pre-drift predictions, so "back within ε" only counts after the trough.
// Returns false if no tick precedes the drift or none follows it.
bool find_recovery(const TimeSeries& accuracy_window, double drift_s, double until_s,
                   double epsilon, Recovery& out);

}  // namespace tinyfleet
