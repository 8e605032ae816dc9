#pragma once
// Scoring change detection against the injected drifts, with the semantics of
// River's `drift.evaluate` (../shared/reference/streams.md §4): an alarm inside
// [start, start + max_delay] (both ends inclusive) belongs to that drift, the
// earliest such window winning; the first alarm of a window gives the detection
// delay; alarms in no window are false alarms; drifts with no alarm are missed.
//
// Pooled over devices (DetectionTally), with River's definitions:
//   missed detection rate  MDR  = missed / drifts                       (undefined if no drift)
//   mean detection delay   MTD  = mean over detected drifts of the delay (undefined if none)
//   false alarms per hour       = false alarms / observed hours          (undefined if 0 h)
//   mean time between false alarms MTFA = mean gap between consecutive false alarms
//                                 of the same device (undefined below one gap)
//   mean time ratio        MTR  = MTFA / MTD · (1 − MDR)   (Bifet et al. 2013, CD-MOA);
//                                 undefined if MTFA or MTD is, infinite if MTD = 0
// Undefined and infinite values are std::nullopt (JSON null).
#include <cstdint>
#include <optional>
#include <vector>

#include "analysis/results.hpp"

namespace tinyfleet {

struct DetectionScore {
  uint64_t false_alarms = 0;
  double false_alarm_gap_sum_s = 0;  // Σ gaps between consecutive false alarms
  uint64_t false_alarm_gaps = 0;
};

// Fills `drifts[i].detected/delay_s`; returns the false alarms. `alarms` sorted.
DetectionScore score_detections(const std::vector<double>& alarms, double max_delay,
                                std::vector<DriftOutcome>& drifts);
// The same, counting the false alarms only.
inline void score_detections(const std::vector<double>& alarms, double max_delay,
                             std::vector<DriftOutcome>& drifts, uint64_t& false_alarms) {
  false_alarms = score_detections(alarms, max_delay, drifts).false_alarms;
}

struct DetectionTally {
  uint64_t drifts = 0, detected = 0, alarms = 0, false_alarms = 0, false_alarm_gaps = 0;
  double delay_sum_s = 0, false_alarm_gap_sum_s = 0, observed_s = 0;

  // One device (or one offline stream): its drift outcomes up to `horizon_s`
  // (drifts starting later are not counted), alarms, false alarms and the time
  // it was observed.
  void add(const std::vector<DriftOutcome>& outcomes, double horizon_s, uint64_t alarm_count,
           const DetectionScore& score, double observed_seconds);

  uint64_t missed() const { return drifts - detected; }
  std::optional<double> missed_detection_rate() const;
  std::optional<double> mean_delay_s() const;
  std::optional<double> false_alarms_per_hour() const;
  std::optional<double> mean_time_between_false_alarms_s() const;
  std::optional<double> mean_time_ratio() const;
};

}  // namespace tinyfleet
