// Drift-detection scoring (River drift.evaluate vectors), recovery time and
// projected lifetime.
#include <doctest/doctest.h>

#include <vector>

#include "analysis/detection.hpp"
#include "analysis/recovery.hpp"
#include "analysis/summary.hpp"

using namespace tinyfleet;

namespace {
std::vector<DriftOutcome> drifts_at(std::vector<double> starts) {
  std::vector<DriftOutcome> out;
  for (double s : starts) out.push_back({s, false, 0});
  return out;
}
DetectionTally tally(const std::vector<double>& alarms, std::vector<double> starts, double delta,
                     double observed_s) {
  auto d = drifts_at(starts);
  const DetectionScore score = score_detections(alarms, delta, d);
  DetectionTally t;
  t.add(d, 1e18, alarms.size(), score, observed_s);
  return t;
}
}  // namespace

TEST_CASE("River drift.evaluate vectors: matching, delay, MDR, false-alarm rate, MTFA, MTR") {
  // match(alarms=[110, 900], drifts=[100], delta_max=50): hit 110, false alarm 900.
  auto d = drifts_at({100});
  DetectionScore s = score_detections({110, 900}, 50, d);
  CHECK(d[0].detected);
  CHECK(d[0].delay_s == 10);
  CHECK(s.false_alarms == 1);
  // Window end is inclusive; one past it is a false alarm.
  d = drifts_at({100});
  CHECK(score_detections({150}, 50, d).false_alarms == 0);
  d = drifts_at({100});
  CHECK(score_detections({151}, 50, d).false_alarms == 1);

  // detection_delay(alarms=[110, 530], drifts=[100, 500, 900], delta_max=50) = 20; MDR 1/3.
  DetectionTally t = tally({110, 530}, {100, 500, 900}, 50, 1000);
  CHECK(*t.mean_delay_s() == doctest::Approx(20));
  CHECK(t.missed() == 1);
  CHECK(*t.missed_detection_rate() == doctest::Approx(1.0 / 3));

  // false_alarm_rate(alarms=[110, 900], drifts=[100], n_samples=1000, unit=1000) = 1 per
  // 1000 samples: at 1 Hz, 3.6 per hour.
  t = tally({110, 900}, {100}, 50, 1000);
  CHECK(*t.false_alarms_per_hour() == doctest::Approx(3.6));
  CHECK_FALSE(t.mean_time_between_false_alarms_s().has_value());  // below two false alarms
  CHECK_FALSE(t.mean_time_ratio().has_value());

  // mean_time_between_false_alarms(alarms=[200, 300, 500], drifts=[]) = 150.
  t = tally({200, 300, 500}, {}, 50, 1000);
  CHECK(*t.mean_time_between_false_alarms_s() == doctest::Approx(150));
  CHECK_FALSE(t.missed_detection_rate().has_value());
  CHECK_FALSE(t.mean_delay_s().has_value());

  // mean_time_ratio(alarms=[110, 400, 700], drifts=[100, 900], delta_max=50) = 15.
  t = tally({110, 400, 700}, {100, 900}, 50, 1000);
  CHECK(*t.mean_time_ratio() == doctest::Approx(15));

  // Zero mean delay: MTR infinite, reported as undefined.
  t = tally({100, 400, 700}, {100}, 50, 1000);
  CHECK(*t.mean_delay_s() == 0);
  CHECK_FALSE(t.mean_time_ratio().has_value());
}

TEST_CASE(
    "an alarm belongs to the earliest window that holds it; drifts after the horizon "
    "are not counted") {
  auto d = drifts_at({100, 120});
  const DetectionScore s = score_detections({125, 130}, 50, d);
  CHECK(d[0].detected);
  CHECK(d[0].delay_s == 25);
  CHECK_FALSE(d[1].detected);  // both alarms went to the first window
  CHECK(s.false_alarms == 0);
  DetectionTally t;
  t.add(d, 110, 2, s, 200);  // horizon before the second drift
  CHECK(t.drifts == 1);
  CHECK(t.detected == 1);
}

TEST_CASE(
    "recovery: reference at the drift, hurt below L - eps, back at the first tick >= L - eps") {
  auto d = drifts_at({10});
  const double eps = 0.02;
  observe_recovery(d, 5, 0.95, eps);
  observe_recovery(d, 10, 0.90, eps);  // reference level: last tick at or before the start
  observe_recovery(d, 15, 0.85, eps);  // hurt
  observe_recovery(d, 20, 0.87, eps);  // still below 0.88
  CHECK(recovery_status(d[0]) == RecoveryStatus::NeverRecovered);
  observe_recovery(d, 25, 0.88, eps);  // back within ε (the boundary counts)
  CHECK(recovery_status(d[0]) == RecoveryStatus::Recovered);
  CHECK(d[0].recovery_s == 15);
  observe_recovery(d, 30, 0.50, eps);  // later dips do not undo a recovery
  CHECK(d[0].recovery_s == 15);

  auto calm = drifts_at({10});
  observe_recovery(calm, 10, 0.90, eps);
  observe_recovery(calm, 20, 0.89, eps);
  CHECK(recovery_status(calm[0]) == RecoveryStatus::NotDegraded);

  auto early = drifts_at({3});  // no tick before the start
  observe_recovery(early, 5, 0.9, eps);
  CHECK(recovery_status(early[0]) == RecoveryStatus::NoBaseline);

  auto late = drifts_at({100});  // no tick after the start
  observe_recovery(late, 50, 0.9, eps);
  CHECK(recovery_status(late[0]) == RecoveryStatus::Unobserved);
}

TEST_CASE("recovery: watching a drift stops at the next drift's start") {
  auto d = drifts_at({10, 30});
  const double eps = 0.02;
  observe_recovery(d, 10, 0.9, eps);
  observe_recovery(d, 20, 0.5, eps);  // first drift hurts
  observe_recovery(d, 30, 0.6, eps);  // reference of the second; still watched for the first
  observe_recovery(d, 40, 0.9, eps);  // back to the first's level, but after the second started
  CHECK(recovery_status(d[0]) == RecoveryStatus::NeverRecovered);
  CHECK(d[1].baseline_accuracy == 0.6);
  CHECK(recovery_status(d[1]) == RecoveryStatus::NotDegraded);

  RecoveryTally t;
  t.add(d, 1e9);
  CHECK(t.never_recovered == 1);
  CHECK(t.not_degraded == 1);
  CHECK_FALSE(t.mean_recovery_s().has_value());
}

TEST_CASE("projected lifetime: death time, or duration x capacity / energy drawn") {
  DeviceTotals d;
  d.energy_j = 2;
  d.battery_j = 100;
  CHECK(*projected_lifetime_s(d, 3600) == doctest::Approx(180000));
  d.died = true;
  d.death_s = 1234;
  CHECK(*projected_lifetime_s(d, 3600) == 1234);
  DeviceTotals idle;
  idle.battery_j = 100;
  CHECK_FALSE(projected_lifetime_s(idle, 3600).has_value());
}
