#include "analysis/recovery.hpp"

namespace tinyfleet {

RecoveryStatus recovery_status(const DriftOutcome& d) {
  if (!d.has_baseline) return RecoveryStatus::NoBaseline;
  if (!d.observed_after) return RecoveryStatus::Unobserved;
  if (d.recovered) return RecoveryStatus::Recovered;
  return d.hurt ? RecoveryStatus::NeverRecovered : RecoveryStatus::NotDegraded;
}

const char* recovery_status_name(RecoveryStatus s) {
  switch (s) {
    case RecoveryStatus::NoBaseline:
      return "no_baseline";
    case RecoveryStatus::Unobserved:
      return "unobserved";
    case RecoveryStatus::NotDegraded:
      return "not_degraded";
    case RecoveryStatus::NeverRecovered:
      return "never_recovered";
    case RecoveryStatus::Recovered:
      return "recovered";
  }
  return "?";
}

void observe_recovery(std::vector<DriftOutcome>& drifts, double t, double accuracy,
                      double epsilon) {
  for (std::size_t i = 0; i < drifts.size(); ++i) {
    DriftOutcome& d = drifts[i];
    if (t <= d.start_s) {
      d.has_baseline = true;
      d.baseline_accuracy = accuracy;
      continue;
    }
    const bool superseded = i + 1 < drifts.size() && drifts[i + 1].start_s < t;
    if (superseded || !d.has_baseline || d.recovered) continue;
    d.observed_after = true;
    if (accuracy < d.baseline_accuracy - epsilon) {
      d.hurt = true;
    } else if (d.hurt) {
      d.recovered = true;
      d.recovery_s = t - d.start_s;
    }
  }
}

void RecoveryTally::add(const std::vector<DriftOutcome>& outcomes, double horizon_s) {
  for (const auto& o : outcomes) {
    if (o.start_s > horizon_s) continue;
    switch (recovery_status(o)) {
      case RecoveryStatus::Recovered:
        ++recovered;
        recovery_sum_s += o.recovery_s;
        break;
      case RecoveryStatus::NeverRecovered:
        ++never_recovered;
        break;
      case RecoveryStatus::NotDegraded:
        ++not_degraded;
        break;
      default:
        ++unscored;
    }
  }
}

std::optional<double> RecoveryTally::mean_recovery_s() const {
  if (recovered == 0) return std::nullopt;
  return recovery_sum_s / static_cast<double>(recovered);
}

}  // namespace tinyfleet
