#pragma once
// What a run produces, before it is written: events, metric rows and
// per-device totals. Filled by the devices, ordered canonically (time, device)
// so the outputs do not depend on the schedule that drove them.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/budget_compliance.hpp"
#include "analysis/calibration.hpp"
#include "analysis/classification_counts.hpp"
#include "analysis/continual.hpp"
#include "analysis/lifecycle_efficiency.hpp"
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
inline constexpr std::array<const char*, 5> kMetricNames = {
    "accuracy", "accuracy_window", "energy_j", "memory_bytes", "ece_window"};
enum MetricId { kAccuracy = 0, kAccuracyWindow, kEnergy, kMemory, kEceWindow };

// One injected drift as one device saw it, and how its detector answered.
struct DriftOutcome {
  double start_s = 0;  // nominal start of the change on this device
  bool detected = false;
  double delay_s = 0;  // first matching alarm − start (detected only)
  // Recovery of the windowed accuracy (analysis/recovery.hpp).
  bool has_baseline = false, observed_after = false, hurt = false, recovered = false;
  double baseline_accuracy = 0, recovery_s = 0;
};

struct DeviceTotals {
  int id = 0;
  int group = 0;
  std::string name;
  uint64_t samples = 0, labels = 0, alarms = 0, false_alarms = 0, status_messages = 0;
  // Pseudo-labels learnt (labels.self) and those that differ from the true label.
  uint64_t self_labels = 0, self_labels_wrong = 0;
  uint64_t alarm_reports = 0;  // messages that carried an alarm (flagged reports or alarm messages)
  uint64_t status_skipped = 0;  // reports not sent: the duty cycle kept the radio silent
  uint64_t rounds_trained = 0, models_received = 0;  // federated rounds
  double model_bytes_rx = 0, model_bytes_tx = 0;     // on air, counting retransmissions
  double accuracy = 0;                               // cumulative prequential accuracy
  double accuracy_fading = 0;                        // fading-factor accuracy at the end
  ClassificationCounts classification;
  int classes = 0;                // of the stream (NLL's K)
  CalibrationCounts calibration;  // whole run
  double ece_window_end = 0;      // windowed ECE at the last output tick
  // CalibrationPhase order; filled by Device::totals() only (a vector, so a
  // running device does not carry 1.2 KB of unused counts).
  std::vector<CalibrationCounts> calibration_phases;
  std::vector<double> accuracy_windows;  // A_w at each scoring tick (per-device rows only)
  AdaptationTally adaptation;
  std::vector<InterventionResponse> interventions;  // in time order
  double accuracy_seconds = 0;                      // ∫A dt: right predictions × sample period
  double false_alarm_gap_sum_s = 0;                 // Σ gaps between consecutive false alarms
  uint64_t false_alarm_gaps = 0;
  std::vector<DriftOutcome> drifts;
  std::array<double, kEnergyCategories> energy_by_category{};
  std::array<double, kPowerStates> seconds_by_state{};
  std::array<double, kPowerStates> watts_by_state{};
  double energy_j = 0;
  double radio_bytes = 0;
  double battery_left = 1;  // fraction
  double battery_j = 0;     // the cell's capacity
  bool died = false;
  double death_s = 0;
  uint64_t peak_memory = 0, ram_budget = 0;
  bool memory_breached = false;
  // Windowed accuracy at the last output tick at or before the first drift (or
  // the end), its lowest value at the ticks after it, and its value at the last tick.
  double accuracy_window_before = 0, accuracy_window_min_after = 0, accuracy_window_end = 0;
  BudgetCompliance budget;       // budgets, interventions, reconfigurations (docs/LIFECYCLE.md)
  TaskAccuracyCounts continual;  // task-structured streams only (tasks = 0 otherwise)
};

}  // namespace tinyfleet
