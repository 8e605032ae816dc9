#include "analysis/lifecycle_efficiency.hpp"

#include <cmath>

namespace tinyfleet {

using nlohmann::ordered_json;

namespace {
ordered_json ratio(double num, double den) {
  if (!(den > 0)) return nullptr;
  const double v = num / den;
  if (!std::isfinite(v)) return nullptr;
  return v;
}
}  // namespace

EfficiencyInputs& EfficiencyInputs::operator+=(const EfficiencyInputs& o) {
  devices += o.devices;
  samples += o.samples;
  correct += o.correct;
  labels += o.labels;
  self_labels += o.self_labels;
  self_labels_wrong += o.self_labels_wrong;
  energy_j += o.energy_j;
  learn_energy_j += o.learn_energy_j;
  accuracy_seconds += o.accuracy_seconds;
  gain_per_label_sum += o.gain_per_label_sum;
  devices_with_labels += o.devices_with_labels;
  adaptation += o.adaptation;
  responses.insert(responses.end(), o.responses.begin(), o.responses.end());
  return *this;
}

ordered_json efficiency_json(const EfficiencyInputs& e, uint64_t horizon_samples) {
  const AdaptationTally& a = e.adaptation;
  ordered_json j;
  j["energy_per_correct_j"] = ratio(e.energy_j, static_cast<double>(e.correct));
  j["adaptations"] = {{"total", a.total()},
                      {"learn_updates", a.learn_updates},
                      {"drift_adaptations", a.drift_adaptations},
                      {"resets", a.resets},
                      {"models_loaded", a.models_loaded}};
  j["learn_energy_per_adaptation_j"] = ratio(e.learn_energy_j, static_cast<double>(a.total()));
  j["accuracy_seconds_per_joule"] = ratio(e.accuracy_seconds, e.energy_j);
  j["labels"] = e.labels;
  j["self_labels"] = e.self_labels;
  j["self_labels_wrong"] = e.self_labels_wrong;
  j["accuracy_gain_per_label"] =
      ratio(e.gain_per_label_sum, static_cast<double>(e.devices_with_labels));
  j["resets_per_10k_samples"] =
      ratio(1e4 * static_cast<double>(a.knowledge_resets()), static_cast<double>(e.samples));
  double d_acc = 0, d_ece = 0;
  uint64_t complete = 0;
  for (const auto& r : e.responses) {
    if (!r.complete) continue;
    ++complete;
    d_acc += r.accuracy_after - r.accuracy_before;
    d_ece += r.ece_after - r.ece_before;
  }
  j["intervention_response"] = {
      {"interventions", e.responses.size()},
      {"scored", complete},
      {"horizon_samples", horizon_samples > 0 ? ordered_json(horizon_samples) : ordered_json()},
      {"mean_delta_accuracy", ratio(d_acc, static_cast<double>(complete))},
      {"mean_delta_ece", ratio(d_ece, static_cast<double>(complete))}};
  return j;
}

}  // namespace tinyfleet
