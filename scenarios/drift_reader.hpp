#pragma once
// Reads a group's `drift:` list. Internal to the scenario loader.
#include <string>
#include <vector>

#include "scenarios/params.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/yaml_reader.hpp"

namespace tinyfleet::scenario_yaml {

// What a drift entry is checked against.
struct DriftBounds {
  std::string group;                                         // for messages
  int device_count = 1;                                      // indices must be below it
  const std::vector<ParamSpec>* generator_params = nullptr;  // `to` keys
  std::string generator;                                     // for messages
  double duration_s = 0;                                     // `at` must not exceed it
  std::string duration_text;                                 // as written, for messages
};

// The entries of `field` (a list), sorted by time (stable).
// Class priors: a list of at least two numbers in [0, 1] that sum to 1.
std::vector<double> read_priors(const Reader& reader, const Field& field);

// An entry's optional `devices:` (all, a percentage, or indices below bounds.device_count).
DeviceSelector read_devices(const Reader& reader, const MapReader& entry,
                            const DriftBounds& bounds);

std::vector<DriftSpec> read_drifts(const Reader& reader, const Field& field,
                                   const DriftBounds& bounds);

}  // namespace tinyfleet::scenario_yaml
