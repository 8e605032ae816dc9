#pragma once
// Reads the lifecycle keys of a scenario (docs/LIFECYCLE.md): a group's
// `budgets:` and `policy:`, the top-level `interventions:` and `taxonomy:`.
// Internal to the scenario loader.
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"
#include "scenarios/yaml_reader.hpp"

namespace tinyfleet::scenario_yaml {

// `duration_s` bounds every `at` (its text, as written, is quoted in messages).
// `count`: the group's devices (a step's or an outage's `devices` indices must be below it).
BudgetSpec read_budgets(const Reader& reader, const Field& field, const std::string& group,
                        int count, double duration_s);
PolicySpec read_policy(const Reader& reader, const Field& field, const std::string& group);
// Target groups must exist; device indices must fit every target group.
std::vector<InterventionSpec> read_interventions(const Reader& reader, const Field& field,
                                                 const std::vector<GroupSpec>& groups,
                                                 double duration_s);
// The tags of taxonomy.md §1; an unknown tag or value is an error with a suggestion.
TaxonomySpec read_taxonomy(const Reader& reader, const Field& field);

}  // namespace tinyfleet::scenario_yaml
