#pragma once
// Scoring change detection against the injected drifts, with the semantics of
// River's `drift.evaluate` (../shared/reference/streams.md §4): an alarm inside
// [start, start + max_delay] (both ends inclusive) belongs to that drift, the
// earliest such window winning; the first alarm of a window gives the detection
// delay; alarms in no window are false alarms; drifts with no alarm are missed.
#include <cstdint>
#include <vector>

#include "analysis/results.hpp"
#include "scenarios/scenario.hpp"

namespace tinyfleet {

// Nominal start of a change: its time for an abrupt drift; for a gradual one the
// point where MOA's sigmoid has moved about 12 % of the way (at_s − width_s / 2).
inline double drift_start(const DriftSpec& d) {
  return d.kind == DriftSpec::Kind::Gradual ? d.at_s - d.width_s / 2 : d.at_s;
}

// Fills `drifts[i].detected/delay_s` and counts the false alarms. `alarms` sorted.
void score_detections(const std::vector<double>& alarms, double max_delay,
                      std::vector<DriftOutcome>& drifts, uint64_t& false_alarms);

}  // namespace tinyfleet
