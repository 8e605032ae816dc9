#pragma once
// Reads the scenario's `federation:` and `fleet_detector:` sections.
// Internal to the scenario loader.
#include <vector>

#include "scenarios/loader.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/yaml_reader.hpp"

namespace tinyfleet::scenario_yaml {

// Learner kinds that can take part in federated rounds (they implement
// learners/federable.hpp).
const std::vector<std::string>& federable_learners();

// `groups` are the scenario's groups, already read (names and learners are checked).
FederationSpec read_federation(const Reader& reader, const Field& field,
                               const std::vector<GroupSpec>& groups, const SchemaCatalog& catalog);
FleetDetectorSpec read_fleet_detector(const Reader& reader, const Field& field);

}  // namespace tinyfleet::scenario_yaml
