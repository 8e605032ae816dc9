#pragma once
// Lifecycle efficiency and intervention response (docs/METRICS.md
// "Lifecycle efficiency"; reference taxonomy.md §3): what a device's energy
// and labels bought, how often it adapted, and what each intervention did.
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

namespace tinyfleet {

// Adaptations, as the device counts them (sim/device.cpp, device_lifecycle.cpp).
struct AdaptationTally {
  uint64_t learn_updates = 0;      // learn() calls on a learner that was not frozen (labels and
                                   // pseudo-labels; whether the kernel changed is its own business)
  uint64_t drift_adaptations = 0;  // on_drift() after a detector alarm
  uint64_t resets = 0;             // reset interventions and fleet reset commands heard
  uint64_t models_loaded = 0;      // model pushes and federated broadcasts imported
  uint64_t total() const { return learn_updates + drift_adaptations + resets + models_loaded; }
  // Knowledge dropped: alarm-driven on_drift plus resets (the "resets per 10⁴ samples").
  uint64_t knowledge_resets() const { return drift_adaptations + resets; }
  AdaptationTally& operator+=(const AdaptationTally& o) {
    learn_updates += o.learn_updates;
    drift_adaptations += o.drift_adaptations;
    resets += o.resets;
    models_loaded += o.models_loaded;
    return *this;
  }
};

// One intervention: windowed accuracy and ECE over the H predictions before it
// and the H predictions after it (H = the accuracy window, in samples).
struct InterventionResponse {
  double t = 0;
  bool complete = false;  // H predictions were made after it
  double accuracy_before = 0, ece_before = 0, accuracy_after = 0, ece_after = 0;
  uint64_t due_sample = 0;  // the prediction count at which "after" is read
};

// What efficiency needs from a device, or pooled over devices (sums).
struct EfficiencyInputs {
  int devices = 0;
  uint64_t samples = 0, correct = 0, labels = 0;
  uint64_t self_labels = 0, self_labels_wrong = 0;  // pseudo-labels learnt, and wrong ones
  double energy_j = 0, learn_energy_j = 0;
  double accuracy_seconds = 0;    // ∫A dt = Σ right predictions × sample period
  double gain_per_label_sum = 0;  // Σ over devices with labels of (accuracy − 1/K)/labels
  int devices_with_labels = 0;
  AdaptationTally adaptation;
  std::vector<InterventionResponse> responses;
  EfficiencyInputs& operator+=(const EfficiencyInputs& o);
};

// The `efficiency` block; `horizon_samples` is H of the responses (0: mixed, null).
nlohmann::ordered_json efficiency_json(const EfficiencyInputs& e, uint64_t horizon_samples);

}  // namespace tinyfleet
