#pragma once
// What a run produces, before it is written: events, metric rows and
// per-device totals. Filled by the devices, ordered canonically (time, device)
// so the outputs do not depend on the schedule that drove them.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "devices/energy_ledger.hpp"

namespace tinyfleet {

struct Event {
  double t = 0;
  int device = -1;  // -1: fleet / gateway
  std::string type;
  std::string detail;
};

struct MetricRow {
  double t = 0;
  int device = 0;
  int metric = 0;  // index into kMetricNames
  double value = 0;
};
inline constexpr std::array<const char*, 4> kMetricNames = {"accuracy", "accuracy_window",
                                                            "energy_j", "memory_bytes"};
enum MetricId { kAccuracy = 0, kAccuracyWindow, kEnergy, kMemory };

// One injected drift as one device saw it, and how its detector answered.
struct DriftOutcome {
  double start_s = 0;  // nominal start of the change on this device
  bool detected = false;
  double delay_s = 0;  // first matching alarm − start (detected only)
};

struct DeviceTotals {
  int id = 0;
  int group = 0;
  std::string name;
  uint64_t samples = 0, labels = 0, alarms = 0, false_alarms = 0, status_messages = 0;
  double accuracy = 0;  // cumulative prequential accuracy
  std::vector<DriftOutcome> drifts;
  std::array<double, kEnergyCategories> energy_by_category{};
  std::array<double, kPowerStates> seconds_by_state{};
  std::array<double, kPowerStates> watts_by_state{};
  double energy_j = 0;
  double radio_bytes = 0;
  double battery_left = 1;  // fraction
  bool died = false;
  double death_s = 0;
  uint64_t peak_memory = 0, ram_budget = 0;
  bool memory_breached = false;
  // Windowed accuracy at the last output tick at or before the first drift (or
  // the end), its lowest value at the ticks after it, and its value at the last tick.
  double accuracy_window_before = 0, accuracy_window_min_after = 0, accuracy_window_end = 0;
};

}  // namespace tinyfleet
