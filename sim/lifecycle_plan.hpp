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

// reach[k][i]: intervention k reaches device i of group `group`.
std::vector<std::vector<bool>> intervention_reach(const Scenario& sc, std::size_t group);
LifecyclePlan plan_lifecycle(const Scenario& sc, std::size_t group, int index_in_group,
                             const std::vector<std::vector<bool>>& reach);

}  // namespace tinyfleet
