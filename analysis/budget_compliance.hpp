#pragma once
// Budget compliance (reference taxonomy.md §3: "share of decisions that miss
// the latency deadline, exceed an energy window or the RAM cap; RAM-breach and
// brown-out events"), counted by each device (sim/device_lifecycle.cpp) and
// pooled per group and fleet for summary.json. docs/LIFECYCLE.md defines each.
#include <cstdint>

#include <nlohmann/json.hpp>

namespace tinyfleet {

struct BudgetCompliance {
  bool tracked = false;  // the device had budgets, interventions or a policy
  // Latency deadline: inferences scored against a deadline, and those late.
  uint64_t inferences = 0, deadline_misses = 0;
  double worst_latency_s = 0;
  // Windows closed with an energy budget, and those over it (and by how much).
  uint64_t energy_windows = 0, energy_windows_over = 0;
  double energy_over_j = 0;  // Σ of the excess
  uint64_t duty_windows = 0, duty_windows_over = 0;
  // RAM cap: breaches (transitions to over the cap) and time spent over it.
  uint64_t ram_cap_breaches = 0;
  double ram_over_cap_s = 0;
  // Radio outages: time the link was down; reports dropped; model pushes delayed.
  double outage_s = 0;
  uint64_t reports_dropped = 0, messages_missed = 0, pushes_deferred = 0;
  // Interventions and reconfigurations that reached the device.
  uint64_t interventions = 0, model_pushes = 0, resets = 0, burst_labels = 0, budget_changes = 0;
  double push_bytes = 0;  // model-push bytes on air (received; the gateway sent as many)
  uint64_t reconfigurations = 0;
  uint64_t brownouts = 0;  // the battery ran out (0 or 1 per device)

  BudgetCompliance& operator+=(const BudgetCompliance& o);
};

// {"deadline_miss_share", "energy_windows_over", ...} for one device or a pool
// of `devices` devices (per-device means where a total would grow with the fleet).
nlohmann::ordered_json budget_compliance_json(const BudgetCompliance& c, int devices);

}  // namespace tinyfleet
