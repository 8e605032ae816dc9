#pragma once
// Reads a component's parameters (generator, learner, detector) from a YAML
// map and validates each against the component's ParamSpec list.
// Internal to the scenario loader.
#include <string>
#include <vector>

#include "scenarios/params.hpp"
#include "scenarios/yaml_reader.hpp"

namespace tinyfleet::scenario_yaml {

enum class ParamFill {
  WithDefaults,  // every spec resolved: the given value, else its default
  OnlyGiven,     // just the keys present (a drift's new concept)
};

// Reads the entries of `map` named by a spec; the caller has already rejected
// unknown keys (so entries like a learner's `kind` are simply skipped).
Params read_params(const Reader& reader, const MapReader& map, const std::vector<ParamSpec>& specs,
                   ParamFill fill);

// Spec names, after `reserved` keys: the valid keys of a component's map.
std::vector<std::string> param_keys(const std::vector<ParamSpec>& specs,
                                    std::vector<std::string> reserved = {});

}  // namespace tinyfleet::scenario_yaml
