#include "analysis/offline_evaluation.hpp"

#include "analysis/calibration_phases.hpp"
#include "analysis/confusion_matrix.hpp"
#include "analysis/detection.hpp"
#include "analysis/evaluator.hpp"
#include "analysis/lifecycle_json.hpp"
#include "analysis/metrics_json.hpp"
#include "analysis/recovery.hpp"
#include "analysis/summary.hpp"

namespace tinyfleet {

using nlohmann::ordered_json;

ordered_json evaluate_log(const PredictionLog& log, const std::vector<uint64_t>& drifts,
                          const std::vector<uint64_t>& alarms, const OfflineSettings& settings) {
  const double rate = settings.rate_hz;
  ClassificationEvaluator evaluator(settings.window, settings.fading, log.class_names.size());
  // River compares the first label with the integer 0, which no text label equals.
  if (log.integer_labels)
    evaluator.set_initial_previous(0);
  else {
    evaluator.set_initial_previous(-1);
    evaluator.set_class_names(&log.class_names);
  }
  ConfusionMatrix matrix;

  DeviceTotals totals;
  for (uint64_t d : drifts) totals.drifts.push_back({static_cast<double>(d) / rate, false, 0});
  PhasedCalibration calibration;
  std::vector<double> accuracy_windows;
  accuracy_windows.reserve(log.y_true.size());
  for (std::size_t i = 0; i < log.y_true.size(); ++i) {
    evaluator.add(log.y_true[i], log.y_pred[i]);
    matrix.add(static_cast<std::size_t>(log.y_true[i]), static_cast<std::size_t>(log.y_pred[i]));
    // Sample i is at i / rate, as the drifts (a sample at a drift's start is before it).
    if (log.has_confidence)
      calibration.add(static_cast<double>(i) / rate, log.confidence[i],
                      log.y_true[i] == log.y_pred[i], totals.drifts);
    observe_recovery(totals.drifts, static_cast<double>(i + 1) / rate, evaluator.windowed(),
                     settings.epsilon);
    accuracy_windows.push_back(evaluator.windowed());
  }
  std::vector<double> alarm_times;
  for (uint64_t a : alarms) alarm_times.push_back(static_cast<double>(a) / rate);
  const DetectionScore score =
      score_detections(alarm_times, static_cast<double>(settings.delta_max) / rate, totals.drifts);

  const double duration_s = static_cast<double>(log.y_true.size()) / rate;
  totals.samples = log.y_true.size();
  totals.accuracy = evaluator.cumulative();
  totals.accuracy_fading = evaluator.fading();
  totals.accuracy_window_end = evaluator.windowed();
  totals.classification = evaluator.counts();
  totals.alarms = alarms.size();
  totals.false_alarms = score.false_alarms;
  totals.false_alarm_gap_sum_s = score.false_alarm_gap_sum_s;
  totals.false_alarm_gaps = score.false_alarm_gaps;
  GroupSummary summary;
  add_device(summary, totals, duration_s);
  finish_summary(summary);

  ordered_json j;
  j["samples"] = totals.samples;
  j["accuracy"] = summary.accuracy;
  j["accuracy_window_end"] = summary.accuracy_end;
  append_classification_metrics(j, summary, log.integer_labels ? nullptr : &log.class_names, false);
  append_detection_metrics(j, summary);
  if (log.has_confidence) {
    const auto phases = calibration.phases(totals.drifts);
    CalibrationCounts all;
    for (const auto& phase : phases) all += phase;
    j["calibration"] = calibration_json(all, phases, static_cast<int>(log.class_names.size()));
  }
  // The windowed accuracy after every sample, each standing for 1 / rate seconds.
  j["tail_risk"] =
      tail_risk_json(accuracy_windows, 1.0 / rate, settings.service_level, settings.cvar_alpha);
  ordered_json labels = ordered_json::array(), rows = ordered_json::array();
  for (std::size_t r = 0; r < matrix.classes(); ++r) {
    labels.push_back(log.class_names[r]);
    ordered_json row = ordered_json::array();
    for (std::size_t c = 0; c < matrix.classes(); ++c) row.push_back(matrix.at(r, c));
    rows.push_back(row);
  }
  j["confusion_matrix"] = {{"labels", labels}, {"counts", rows}};
  j["settings"] = {{"window", settings.window},
                   {"fading", settings.fading},
                   {"rate_hz", rate},
                   {"delta_max", settings.delta_max},
                   {"epsilon", settings.epsilon},
                   {"service_level", settings.service_level},
                   {"cvar_alpha", settings.cvar_alpha}};
  return j;
}

}  // namespace tinyfleet
