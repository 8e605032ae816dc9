#include "analysis/detection.hpp"

namespace tinyfleet {

void score_detections(const std::vector<double>& alarms, double max_delay,
                      std::vector<DriftOutcome>& drifts, uint64_t& false_alarms) {
  false_alarms = 0;
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
    if (!matched) ++false_alarms;
  }
}

}  // namespace tinyfleet
