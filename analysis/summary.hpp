#pragma once
// Per-group and fleet totals of a run, for summary.json and the stdout table.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/budget_compliance.hpp"
#include "analysis/calibration.hpp"
#include "analysis/classification_counts.hpp"
#include "analysis/continual.hpp"
#include "analysis/detection.hpp"
#include "analysis/lifecycle_efficiency.hpp"
#include "analysis/recovery.hpp"
#include "devices/energy_ledger.hpp"
#include "scenarios/scenario.hpp"
#include "sim/run.hpp"

namespace tinyfleet {

struct GroupSummary {
  std::string name, learner, detector, device;
  int devices = 0;
  double accuracy = 0;            // mean cumulative prequential accuracy
  double accuracy_before = 0;     // mean windowed accuracy at the first drift (or at the end)
  double accuracy_after_min = 0;  // mean over devices of the lowest windowed accuracy after it
  double accuracy_end = 0;        // mean windowed accuracy at the last output tick
  int drifts = 0, detected = 0, false_alarms = 0;
  double mean_delay_s = 0;  // over detected drifts
  double energy_j = 0;      // mean per device
  double battery_left = 0;  // mean fraction
  int deaths = 0, memory_breaches = 0;
  double peak_memory = 0;  // max over devices, bytes
  double ram_budget = 0;

  // Classification: counts pooled over the devices (kappas, G-mean, balanced
  // accuracy and recall of the pooled counts), and means over the devices
  // that scored at least one sample.
  ClassificationCounts pooled;
  double accuracy_fading = 0;  // mean over devices
  int scored_devices = 0;
  double mean_kappa = 0, mean_kappa_m = 0, mean_kappa_t = 0, mean_g_mean = 0,
         mean_balanced_accuracy = 0;
  // Detection and recovery, pooled over the devices' drifts and alarms.
  DetectionTally detection;
  RecoveryTally recovery;
  // Resources.
  std::array<double, kEnergyCategories> energy_by_category{};  // mean per device, J
  double lifetime_sum_s = 0, lifetime_min_s = 0;  // projected lifetime, over `lifetimes` devices
  int lifetimes = 0;
  double peak_memory_fraction = 0;  // max over devices of peak / budget
  double bytes_on_air = 0;          // Σ over devices of what they transmitted (reports, models)
  double bytes_received = 0;        // Σ over devices of what they received (model broadcasts)
  BudgetCompliance budget;          // pooled over the devices (docs/LIFECYCLE.md)
  // Calibration, pooled over the devices (analysis/calibration.hpp); NLL's K
  // is the largest class count of the devices' streams.
  CalibrationCounts calibration;
  std::array<CalibrationCounts, 3> calibration_phases;
  int classes = 0;
  EfficiencyInputs efficiency;   // sums over the devices (analysis/lifecycle_efficiency.hpp)
  TaskAccuracyCounts continual;  // pooled probe counts (task-structured streams only)
};

// What efficiency_json needs from one device.
EfficiencyInputs efficiency_inputs(const DeviceTotals& d);

// Adds one device's totals to a summary; `duration_s` is the run's length.
void add_device(GroupSummary& s, const DeviceTotals& d, double duration_s);
// Turns the sums into means. Call once, after every add_device.
void finish_summary(GroupSummary& s);

// A device's projected lifetime: its death time if it died; otherwise the
// time its cell would last at the run's average power,
//   duration · battery capacity / energy drawn over the run;
// none if it drew no energy.
std::optional<double> projected_lifetime_s(const DeviceTotals& d, double duration_s);

std::vector<GroupSummary> summarize_groups(const Scenario& sc, const RunResults& r);
GroupSummary summarize_fleet(const Scenario& sc, const RunResults& r);
nlohmann::ordered_json summary_json(const Scenario& sc, const RunResults& r);
nlohmann::ordered_json scenario_json(const Scenario& sc);
}  // namespace tinyfleet
