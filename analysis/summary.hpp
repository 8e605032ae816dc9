#pragma once
// Per-group and fleet totals of a run, for summary.json and the stdout table.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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
};

std::vector<GroupSummary> summarize_groups(const Scenario& sc, const RunResults& r);
nlohmann::ordered_json summary_json(const Scenario& sc, const RunResults& r);
nlohmann::ordered_json scenario_json(const Scenario& sc);
}  // namespace tinyfleet
