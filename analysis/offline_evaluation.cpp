#include "analysis/offline_evaluation.hpp"

#include "analysis/confusion_matrix.hpp"
#include "analysis/detection.hpp"
#include "analysis/evaluator.hpp"
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
  for (std::size_t i = 0; i < log.y_true.size(); ++i) {
    evaluator.add(log.y_true[i], log.y_pred[i]);
    matrix.add(static_cast<std::size_t>(log.y_true[i]), static_cast<std::size_t>(log.y_pred[i]));
    observe_recovery(totals.drifts, static_cast<double>(i + 1) / rate, evaluator.windowed(),
                     settings.epsilon);
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
                   {"epsilon", settings.epsilon}};
  return j;
}

}  // namespace tinyfleet
