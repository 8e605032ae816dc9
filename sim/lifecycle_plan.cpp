#include "sim/lifecycle_plan.hpp"

#include <algorithm>

#include "drift/drifting_stream.hpp"
#include "drift/rng.hpp"

namespace tinyfleet {
namespace {
// derive_seed purpose at fleet level (100s: sim/fleet.cpp; 200s: the fleet server).
constexpr uint64_t kInterventionSelectionSeed = 301;
constexpr uint64_t kBudgetStepSelectionSeed = 304;
constexpr uint64_t kOutageSelectionSeed = 305;

std::vector<bool> reach_of(const DeviceSelector& sel, const Scenario& sc, std::size_t group,
                           std::size_t k, uint64_t purpose) {
  return select_devices(sel, sc.groups[group].count,
                        derive_seed(sc.seed, group * 65536 + k, purpose));
}

bool targets(const InterventionSpec& spec, const std::string& group) {
  return spec.groups.empty() ||
         std::find(spec.groups.begin(), spec.groups.end(), group) != spec.groups.end();
}
}  // namespace

LifecycleReach lifecycle_reach(const Scenario& sc, std::size_t group) {
  const GroupSpec& g = sc.groups[group];
  LifecycleReach reach;
  for (std::size_t k = 0; k < sc.interventions.size(); ++k) {
    const InterventionSpec& spec = sc.interventions[k];
    if (!targets(spec, g.name))
      reach.interventions.emplace_back(static_cast<std::size_t>(g.count), false);
    else
      reach.interventions.push_back(
          reach_of(spec.devices, sc, group, k, kInterventionSelectionSeed));
  }
  for (std::size_t k = 0; k < g.budgets.steps.size(); ++k)
    reach.steps.push_back(
        reach_of(g.budgets.steps[k].devices, sc, group, k, kBudgetStepSelectionSeed));
  for (std::size_t k = 0; k < g.budgets.outages.size(); ++k)
    reach.outages.push_back(
        reach_of(g.budgets.outages[k].devices, sc, group, k, kOutageSelectionSeed));
  return reach;
}

LifecyclePlan plan_lifecycle(const Scenario& sc, std::size_t group, int index_in_group,
                             const LifecycleReach& reach) {
  const auto i = static_cast<std::size_t>(index_in_group);
  const GroupSpec& g = sc.groups[group];
  LifecyclePlan plan;
  plan.budgets = g.budgets;
  // Steps and outages that name devices keep only this device's (steps[0] is the base).
  plan.budgets.steps.clear();
  for (std::size_t k = 0; k < g.budgets.steps.size(); ++k)
    if (k == 0 || reach.steps[k][i]) plan.budgets.steps.push_back(g.budgets.steps[k]);
  plan.budgets.outages.clear();
  for (std::size_t k = 0; k < g.budgets.outages.size(); ++k)
    if (reach.outages[k][i]) plan.budgets.outages.push_back(g.budgets.outages[k]);
  plan.policy = g.policy;
  for (std::size_t k = 0; k < sc.interventions.size(); ++k)
    if (reach.interventions[k][i])
      plan.interventions.push_back({sc.interventions[k], static_cast<int>(k)});
  plan.active = g.budgets.enabled || g.policy.kind != "fixed" || !plan.interventions.empty();
  return plan;
}

}  // namespace tinyfleet
