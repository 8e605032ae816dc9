#pragma once
// Scoring change detection against the injected drifts, with the semantics of
// River's `drift.evaluate` (../shared/reference/streams.md §4): an alarm inside
// [start, start + max_delay] (both ends inclusive) belongs to that drift, the
// earliest such window winning; the first alarm of a window gives the detection
// delay; alarms in no window are false alarms; drifts with no alarm are missed.
#include <cstdint>
#include <vector>

#include "analysis/results.hpp"

namespace tinyfleet {

// Fills `drifts[i].detected/delay_s` and counts the false alarms. `alarms` sorted.
void score_detections(const std::vector<double>& alarms, double max_delay,
                      std::vector<DriftOutcome>& drifts, uint64_t& false_alarms);

}  // namespace tinyfleet
