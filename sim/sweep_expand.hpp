#pragma once
// `tinyfleet sweep expand`: turns a sweep into numbered point scenarios. Each
// point's YAML is the base tree with the point's values set, and it goes
// through the scenario loader before anything is written, so a bad value is
// reported at its place in the sweep file ("sweep.yaml:9:31: point 3:
// fleet.0.labels.fraction = 1.5: ... out of range [0, 1]").
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/loader.hpp"
#include "sim/sweep_manifest.hpp"
#include "sim/sweep_spec.hpp"

namespace tinyfleet {

struct SweepPoint {
  std::size_t index = 0;
  std::vector<std::pair<std::string, std::string>> values;  // parameter → value text
  std::string scenario_yaml;
};

// Every point, last dimension fastest. Throws ScenarioError.
std::vector<SweepPoint> expand_sweep(const SweepSpec& spec, const SchemaCatalog& catalog);

// Writes DIR/points/NNNN/scenario.yaml, then DIR/manifest.json. Re-expanding
// the same sweep into DIR changes nothing (results already there are kept);
// a different sweep is refused with std::invalid_argument.
SweepManifest write_sweep(const std::string& dir, const SweepSpec& spec,
                          const std::vector<SweepPoint>& points);

}  // namespace tinyfleet
