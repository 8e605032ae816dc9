#include "analysis/detection.hpp"

namespace tinyfleet {

DetectionScore score_detections(const std::vector<double>& alarms, double max_delay,
                                std::vector<DriftOutcome>& drifts) {
  DetectionScore score;
  bool had_false_alarm = false;
  double last_false_alarm = 0;
  for (auto& d : drifts) d.detected = false;
  for (double a : alarms) {
    bool matched = false;
    for (auto& d : drifts) {  // drifts are sorted: the first containing window is the earliest
      if (a < d.start_s || a > d.start_s + max_delay) continue;
      if (!d.detected) {
        d.detected = true;
        d.delay_s = a - d.start_s;
      }
      matched = true;
      break;
    }
    if (matched) continue;
    ++score.false_alarms;
    if (had_false_alarm) {
      score.false_alarm_gap_sum_s += a - last_false_alarm;
      ++score.false_alarm_gaps;
    }
    had_false_alarm = true;
    last_false_alarm = a;
  }
  return score;
}

void DetectionTally::add(const std::vector<DriftOutcome>& outcomes, double horizon_s,
                         uint64_t alarm_count, const DetectionScore& score,
                         double observed_seconds) {
  for (const auto& o : outcomes) {
    if (o.start_s > horizon_s) continue;
    ++drifts;
    if (o.detected) {
      ++detected;
      delay_sum_s += o.delay_s;
    }
  }
  alarms += alarm_count;
  false_alarms += score.false_alarms;
  false_alarm_gaps += score.false_alarm_gaps;
  false_alarm_gap_sum_s += score.false_alarm_gap_sum_s;
  observed_s += observed_seconds;
}

std::optional<double> DetectionTally::missed_detection_rate() const {
  if (drifts == 0) return std::nullopt;
  return static_cast<double>(missed()) / static_cast<double>(drifts);
}

std::optional<double> DetectionTally::mean_delay_s() const {
  if (detected == 0) return std::nullopt;
  return delay_sum_s / static_cast<double>(detected);
}

std::optional<double> DetectionTally::false_alarms_per_hour() const {
  if (observed_s <= 0) return std::nullopt;
  return static_cast<double>(false_alarms) / (observed_s / 3600.0);
}

std::optional<double> DetectionTally::mean_time_between_false_alarms_s() const {
  if (false_alarm_gaps == 0) return std::nullopt;
  return false_alarm_gap_sum_s / static_cast<double>(false_alarm_gaps);
}

std::optional<double> DetectionTally::mean_time_ratio() const {
  const auto mtfa = mean_time_between_false_alarms_s();
  const auto mtd = mean_delay_s();
  const auto mdr = missed_detection_rate();
  if (!mtfa || !mtd || !mdr || *mtd == 0) return std::nullopt;
  return *mtfa / *mtd * (1.0 - *mdr);
}

}  // namespace tinyfleet
