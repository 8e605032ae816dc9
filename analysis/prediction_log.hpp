#pragma once
// A prediction log: a CSV file whose header names a `y_true` and a `y_pred`
// column (any order, other columns ignored), optionally `alarm` and `drift`
// columns holding 0/1 per row, and optionally a `confidence` column: the
// probability the model gave to its predicted class, a number in [0, 1]
// (calibration metrics, docs/METRICS.md). Fields may be double-quoted ("" for a quote);
// blank lines are skipped but counted in line numbers.
//
// Labels: if every y_true and y_pred is a canonical non-negative integer
// ("0", "17"; no sign, no leading zero) below 65536, the integers are the
// class ids, as in the simulator. Otherwise every distinct text is a class,
// numbered in order of first appearance (row by row, y_true before y_pred).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tinyfleet {

// "FILE:LINE: message" (LINE omitted for whole-file problems).
struct PredictionLogError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PredictionLog {
  std::vector<int> y_true, y_pred;       // class ids, one per row
  std::vector<std::string> class_names;  // id → text
  bool integer_labels = true;
  bool has_alarm_column = false, has_drift_column = false;
  std::vector<uint64_t> alarms, drifts;  // row indices (0-based) flagged 1 in those columns
  bool has_confidence = false;
  std::vector<double> confidence;  // one per row when has_confidence
};

PredictionLog read_prediction_log(const std::string& path);

}  // namespace tinyfleet
