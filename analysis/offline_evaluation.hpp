#pragma once
// Scoring a prediction log offline exactly as the simulator scores a device:
// the same ClassificationEvaluator, detection matching, recovery watch and
// summary code (GroupSummary of one "device"), the same JSON names.
//
// Time: sample i is at i / rate_hz seconds (rate 1: times are sample
// indices). A drift or alarm at index k is at k / rate_hz; delta_max is in
// samples. The windowed accuracy is read after every sample (at (i + 1) /
// rate_hz), so a drift's reference level is the accuracy over the samples
// before it and its recovery time counts the samples since its start.
// With a confidence column the calibration block (whole log and phases) is
// added; the tail-risk block reads the windowed accuracy after every sample.
#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/prediction_log.hpp"

namespace tinyfleet {

struct OfflineSettings {
  std::size_t window = 1000;  // samples (MOA's EvaluatePrequential default)
  double fading = 0.999;      // α
  double rate_hz = 1;
  double epsilon = 0.02;       // recovery tolerance
  uint64_t delta_max = 0;      // samples; needed only when there are drifts
  double service_level = 0.8;  // tail risk: time below this windowed accuracy
  double cvar_alpha = 0.05;    // tail risk: CVaR_α of the windowed loss
};

// `drifts` and `alarms`: sorted, distinct, < rows (checked by the caller).
nlohmann::ordered_json evaluate_log(const PredictionLog& log, const std::vector<uint64_t>& drifts,
                                    const std::vector<uint64_t>& alarms,
                                    const OfflineSettings& settings);

}  // namespace tinyfleet
