// How a group's metrics are formed from its devices (analysis/summary.*,
// analysis/metrics_json.*): means over devices, pooled counts, pooled detection.
#include <doctest/doctest.h>

#include "analysis/evaluator.hpp"
#include "analysis/metrics_json.hpp"
#include "analysis/summary.hpp"

using namespace tinyfleet;

namespace {
DeviceTotals device(const std::vector<int>& y_true, const std::vector<int>& y_pred) {
  ClassificationEvaluator ev(100, 0.999, 2);
  for (std::size_t i = 0; i < y_true.size(); ++i) ev.add(y_true[i], y_pred[i]);
  DeviceTotals d;
  d.accuracy = ev.cumulative();
  d.accuracy_fading = ev.fading();
  d.classification = ev.counts();
  d.samples = y_true.size();
  return d;
}
}  // namespace

TEST_CASE("group: accuracy is the mean over devices, kappa comes from the pooled counts") {
  DeviceTotals a = device({0, 0, 1, 1}, {0, 0, 1, 1});  // perfect
  DeviceTotals b = device({0, 1}, {1, 0});              // all wrong
  a.drifts = {{100, true, 30}};
  b.drifts = {{100, false, 0}, {5000, false, 0}};  // the second starts after the run
  a.false_alarms = 3;
  a.false_alarm_gaps = 2;
  a.false_alarm_gap_sum_s = 600;
  b.died = true;
  b.death_s = 1800;
  GroupSummary s;
  add_device(s, a, 3600);
  add_device(s, b, 3600);
  finish_summary(s);
  CHECK(s.accuracy == doctest::Approx(0.5));  // (1 + 0) / 2, not 4/6
  CHECK(s.pooled.n == 6);
  CHECK(s.pooled.correct == 4);
  // Pooled marginals: true 0:3 1:3, pred 0:3 1:3 → pe = 1/2, p0 = 2/3 → kappa 1/3.
  CHECK(cohen_kappa(s.pooled) == doctest::Approx(1.0 / 3));
  CHECK(s.mean_kappa == doctest::Approx((1.0 + -1.0) / 2));
  CHECK(s.detection.drifts == 2);
  CHECK(s.detection.detected == 1);
  CHECK(*s.detection.mean_delay_s() == 30);
  CHECK(s.detection.observed_s == 3600 + 1800);
  CHECK(*s.detection.false_alarms_per_hour() == doctest::Approx(3 / 1.5));
  CHECK(*s.detection.mean_time_between_false_alarms_s() == 300);

  nlohmann::ordered_json j;
  append_classification_metrics(j, s, nullptr, true);
  append_detection_metrics(j, s);
  CHECK(j["recall_per_class"]["0"] == doctest::Approx(2.0 / 3));
  CHECK(j["support_per_class"]["1"] == 3);
  CHECK(j["device_mean"]["kappa"] == doctest::Approx(0.0));
  CHECK(j["drifts_missed"] == 1);
  CHECK(j["missed_detection_rate"] == 0.5);
  CHECK(j["mean_time_ratio"] == doctest::Approx(300.0 / 30 * 0.5));
}

TEST_CASE("group with no detection: undefined metrics are null, not 0") {
  DeviceTotals d = device({0, 1}, {0, 1});
  d.drifts = {{100, false, 0}};
  GroupSummary s;
  add_device(s, d, 3600);
  finish_summary(s);
  nlohmann::ordered_json j;
  append_detection_metrics(j, s);
  CHECK(j["mean_detection_delay_s"].is_null());
  CHECK(j["mean_time_between_false_alarms_s"].is_null());
  CHECK(j["mean_time_ratio"].is_null());
  CHECK(j["recovery_time_mean_s"].is_null());
  CHECK(j["missed_detection_rate"] == 1.0);
  CHECK(j["false_alarms_per_hour"] == 0.0);
}
