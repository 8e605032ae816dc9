#include "analysis/metrics_json.hpp"

#include <cmath>

namespace tinyfleet {

using nlohmann::ordered_json;

ordered_json number_or_null(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

void append_classification_metrics(ordered_json& j, const GroupSummary& s,
                                   const std::vector<std::string>* class_names,
                                   bool with_device_means) {
  const ClassificationCounts& c = s.pooled;
  j["accuracy_fading"] = s.accuracy_fading;
  j["kappa"] = cohen_kappa(c);
  j["kappa_m"] = kappa_m(c);
  j["kappa_t"] = kappa_t(c);
  j["g_mean"] = g_mean(c);
  j["balanced_accuracy"] = balanced_accuracy(c);
  ordered_json recalls = ordered_json::object(), support = ordered_json::object();
  for (std::size_t k = 0; k < c.classes.size(); ++k) {
    if (!c.present(k)) continue;
    const std::string name =
        class_names && k < class_names->size() ? (*class_names)[k] : std::to_string(k);
    recalls[name] = recall(c, k);
    support[name] = c.classes[k].truth;
  }
  j["recall_per_class"] = recalls;
  j["support_per_class"] = support;
  if (with_device_means)
    j["device_mean"] = {{"kappa", s.mean_kappa},
                        {"kappa_m", s.mean_kappa_m},
                        {"kappa_t", s.mean_kappa_t},
                        {"g_mean", s.mean_g_mean},
                        {"balanced_accuracy", s.mean_balanced_accuracy}};
}

void append_detection_metrics(ordered_json& j, const GroupSummary& s) {
  const DetectionTally& d = s.detection;
  j["drifts"] = d.drifts;
  j["drifts_detected"] = d.detected;
  j["drifts_missed"] = d.missed();
  j["missed_detection_rate"] = number_or_null(d.missed_detection_rate());
  j["false_alarms"] = d.false_alarms;
  j["false_alarms_per_hour"] = number_or_null(d.false_alarms_per_hour());
  j["mean_detection_delay_s"] = number_or_null(d.mean_delay_s());
  j["mean_time_between_false_alarms_s"] = number_or_null(d.mean_time_between_false_alarms_s());
  j["mean_time_ratio"] = number_or_null(d.mean_time_ratio());
  j["recovery_time_mean_s"] = number_or_null(s.recovery.mean_recovery_s());
  j["drifts_recovered"] = s.recovery.recovered;
  j["drifts_never_recovered"] = s.recovery.never_recovered;
  j["drifts_not_degraded"] = s.recovery.not_degraded;
}

void append_resource_metrics(ordered_json& j, const GroupSummary& s) {
  ordered_json energy = ordered_json::object();
  for (std::size_t c = 0; c < kEnergyCategories; ++c)
    energy[std::string(kEnergyCategoryNames[c])] = s.energy_by_category[c];
  j["mean_energy_by_category_j"] = energy;
  constexpr double kDay = 86400.0;
  std::optional<double> mean_life, min_life;
  if (s.lifetimes > 0) {
    mean_life = s.lifetime_sum_s / s.lifetimes / kDay;
    min_life = s.lifetime_min_s / kDay;
  }
  j["projected_lifetime_days_mean"] = number_or_null(mean_life);
  j["projected_lifetime_days_min"] = number_or_null(min_life);
  j["peak_memory_fraction_of_budget"] = s.peak_memory_fraction;
  j["bytes_on_air"] = s.bytes_on_air;
  j["mean_bytes_on_air"] = s.devices ? s.bytes_on_air / s.devices : 0.0;
  j["bytes_received"] = s.bytes_received;
}

}  // namespace tinyfleet
