#pragma once
// Group time series (accuracy, energy, memory at each output tick),
// accumulated as integer sums: integer addition commutes, so the series do
// not depend on the order in which devices report — whatever the schedule —
// and cost O(groups × ticks) memory however large the fleet.
#include <cmath>
#include <cstdint>
#include <vector>

#include "analysis/calibration.hpp"

namespace tinyfleet {

struct CurvePoint {
  uint64_t devices = 0;                // alive devices that reported at this tick
  uint64_t window_correct = 0;         // Σ correct predictions in each device's window
  uint64_t window_seen = 0;            // Σ predictions in each device's window
  uint64_t correct = 0, seen = 0;      // cumulative, Σ over devices
  uint64_t energy_nj = 0;              // Σ energy drawn so far, in nanojoules (rounded per device)
  uint64_t memory_bytes = 0;           // Σ bytes in use
  CalibrationBins calibration_window;  // Σ each device's windowed calibration bins
  // Devices with an energy budget and a closed budget window (docs/LIFECYCLE.md):
  // Σ budget per window in force, Σ energy of their last closed window (nJ).
  uint64_t budget_devices = 0, energy_budget_nj = 0, energy_window_nj = 0;

  // Micro-averages: every prediction weighs the same.
  double accuracy_window() const {
    return window_seen ? double(window_correct) / double(window_seen) : 0;
  }
  double accuracy() const { return seen ? double(correct) / double(seen) : 0; }
  double mean_energy_j() const { return devices ? double(energy_nj) * 1e-9 / double(devices) : 0; }
  double ece_window() const { return expected_calibration_error(calibration_window); }
  double mean_energy_budget_j() const {
    return budget_devices ? double(energy_budget_nj) * 1e-9 / double(budget_devices) : 0;
  }
  double mean_energy_window_j() const {
    return budget_devices ? double(energy_window_nj) * 1e-9 / double(budget_devices) : 0;
  }
  double mean_memory() const { return devices ? double(memory_bytes) / double(devices) : 0; }
};

class GroupCurves {
 public:
  GroupCurves(std::size_t groups, std::size_t ticks, double every_s)
      : groups_(groups), ticks_(ticks), every_s_(every_s), points_(groups * ticks) {}

  // Tick k (0-based) is at time (k + 1) · every.
  std::size_t tick_of(double t) const {
    return static_cast<std::size_t>(std::llround(t / every_s_)) - 1;
  }
  double time_of(std::size_t tick) const { return static_cast<double>(tick + 1) * every_s_; }
  std::size_t ticks() const { return ticks_; }
  std::size_t groups() const { return groups_; }

  CurvePoint& at(std::size_t group, std::size_t tick) { return points_[tick * groups_ + group]; }
  const CurvePoint& at(std::size_t group, std::size_t tick) const {
    return points_[tick * groups_ + group];
  }

 private:
  std::size_t groups_, ticks_;
  double every_s_;
  std::vector<CurvePoint> points_;
};

}  // namespace tinyfleet
