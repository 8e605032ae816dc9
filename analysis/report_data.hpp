#pragma once
// What `tinyfleet report` needs from one run directory (summary.json,
// metrics.csv, events.csv, provenance.json), gathered per group. Keys of
// summary.json are read defensively: a key a run does not have is left out,
// so reports work for run directories of older and newer versions.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/report_csv.hpp"

namespace tinyfleet {

struct TimeSeries {
  std::vector<double> t, v;
};

// An injected drift as the group's devices saw it: from the first device's
// start to the last device's end (a gradual change ends a width after it starts).
struct DriftSpan {
  double start_s = 0, end_s = 0;
  std::string kind;  // abrupt, gradual, recurring, incremental (as events.csv says)
};

struct GroupReport {
  std::string name;
  nlohmann::ordered_json summary = nlohmann::ordered_json::object();  // its row in summary.json
  std::vector<std::pair<std::string, TimeSeries>> series;             // metric → its group rows
  std::vector<DriftSpan> drifts;
  std::vector<double> alarms;           // times of its devices' detector alarms
  std::vector<double> device_accuracy;  // each device's cumulative accuracy
  std::vector<std::pair<std::string, double>> energy_by_category_j;  // mean per device
  double peak_memory_bytes = -1, ram_budget_bytes = -1;              // -1: unknown

  const TimeSeries* find_series(const std::string& metric) const;
};

struct RoundReport {
  int session = 0, round = 0;
  double start_s = -1, end_s = -1;                          // -1: no such event
  double selected = -1, received = -1, test_accuracy = -1;  // -1: not in the events
};

struct RunReport {
  std::string dir, name;  // directory as given, scenario name
  double duration_s = 0, window_s = 0;
  uint64_t seed = 0;
  int devices = 0;
  std::vector<GroupReport> groups;
  std::vector<RoundReport> rounds;
  std::vector<double> fleet_alarms;  // fleet-level (gateway) alarm events
  nlohmann::ordered_json provenance = nlohmann::ordered_json::object();
  std::vector<std::string> notes;  // what could not be shown, and why
};

// Throws ReportInputError (message names the file, and the line for CSV files)
// if the directory, summary.json, metrics.csv or events.csv is missing or
// malformed. provenance.json is optional.
RunReport load_run(const std::string& dir);

// One group's drift spans from its drift events (t, kind). A gradual event
// starts at its scenario entry's centre − width/2 and lasts `width`; it takes
// the width of the gradual entry (at_s, width_s) whose start is nearest. Spans
// closer than `merge_gap_s` are merged, so devices that change a few minutes
// apart form one span.
std::vector<DriftSpan> drift_spans(std::vector<std::pair<double, std::string>> events,
                                   const std::vector<std::pair<double, double>>& gradual_at_width,
                                   double merge_gap_s);

}  // namespace tinyfleet
