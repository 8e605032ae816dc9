#pragma once
// Which budgets, interventions and policy one device lives with
// (docs/LIFECYCLE.md). Resolved by the fleet builder, fixed by the seed, so
// every schedule sees the same plan.
#include <cstddef>
#include <vector>

#include "scenarios/scenario.hpp"

namespace tinyfleet {

struct LifecyclePlan {
  bool active = false;  // anything below applies to the device
  BudgetSpec budgets;   // the group's (steps[0] = values at t = 0)
  struct Planned {
    InterventionSpec spec;
    int id = 0;  // index in the scenario's list (seeds the model push)
  };
  std::vector<Planned> interventions;  // those that reach the device, by time
  PolicySpec policy;
};

// Which devices of a group each entry reaches ([k][i]: entry k, device i of
// the group): interventions, budget steps, outages. Seeded draws, once per group.
struct LifecycleReach {
  std::vector<std::vector<bool>> interventions, steps, outages;
};
LifecycleReach lifecycle_reach(const Scenario& sc, std::size_t group);
LifecyclePlan plan_lifecycle(const Scenario& sc, std::size_t group, int index_in_group,
                             const LifecycleReach& reach);

}  // namespace tinyfleet
