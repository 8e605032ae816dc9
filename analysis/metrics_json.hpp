#pragma once
// The metric blocks of summary.json, shared with `tinyfleet evaluate` so that
// an offline prediction log is reported with the same names, by the same code,
// as a simulated group (docs/METRICS.md defines every key).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/summary.hpp"

namespace tinyfleet {

// null for an undefined (or infinite) value.
nlohmann::ordered_json number_or_null(const std::optional<double>& v);

// accuracy_fading, kappa, kappa_m, kappa_t, g_mean, balanced_accuracy,
// recall_per_class, support_per_class (+ device_mean when asked). Classes are
// named by `class_names` (id → text) if given, else by their id.
void append_classification_metrics(nlohmann::ordered_json& j, const GroupSummary& s,
                                   const std::vector<std::string>* class_names,
                                   bool with_device_means);
// drifts, drifts_detected, drifts_missed, missed_detection_rate, false_alarms,
// false_alarms_per_hour, mean_detection_delay_s, mean_time_between_false_alarms_s,
// mean_time_ratio, recovery_time_mean_s, drifts_recovered, drifts_never_recovered,
// drifts_not_degraded.
void append_detection_metrics(nlohmann::ordered_json& j, const GroupSummary& s);
// mean_energy_by_category_j, projected_lifetime_days_mean/_min,
// peak_memory_fraction_of_budget, bytes_on_air, mean_bytes_on_air, bytes_received.
void append_resource_metrics(nlohmann::ordered_json& j, const GroupSummary& s);

}  // namespace tinyfleet
