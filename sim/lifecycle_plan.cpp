#include "sim/lifecycle_plan.hpp"

#include <algorithm>

#include "drift/drifting_stream.hpp"
#include "drift/rng.hpp"

namespace tinyfleet {
namespace {
// derive_seed purpose at fleet level (100s: sim/fleet.cpp; 200s: the fleet server).
constexpr uint64_t kInterventionSelectionSeed = 301;

bool targets(const InterventionSpec& spec, const std::string& group) {
  return spec.groups.empty() ||
         std::find(spec.groups.begin(), spec.groups.end(), group) != spec.groups.end();
}
}  // namespace

std::vector<std::vector<bool>> intervention_reach(const Scenario& sc, std::size_t group) {
  const GroupSpec& g = sc.groups[group];
  std::vector<std::vector<bool>> reach;
  for (std::size_t k = 0; k < sc.interventions.size(); ++k) {
    const InterventionSpec& spec = sc.interventions[k];
    if (!targets(spec, g.name)) {
      reach.emplace_back(static_cast<std::size_t>(g.count), false);
      continue;
    }
    reach.push_back(
        select_devices(spec.devices, g.count,
                       derive_seed(sc.seed, group * 65536 + k, kInterventionSelectionSeed)));
  }
  return reach;
}

LifecyclePlan plan_lifecycle(const Scenario& sc, std::size_t group, int index_in_group,
                             const std::vector<std::vector<bool>>& reach) {
  const GroupSpec& g = sc.groups[group];
  LifecyclePlan plan;
  plan.budgets = g.budgets;
  plan.policy = g.policy;
  for (std::size_t k = 0; k < sc.interventions.size(); ++k)
    if (reach[k][static_cast<std::size_t>(index_in_group)])
      plan.interventions.push_back({sc.interventions[k], static_cast<int>(k)});
  plan.active = g.budgets.enabled || g.policy.kind != "fixed" || !plan.interventions.empty();
  return plan;
}

}  // namespace tinyfleet
