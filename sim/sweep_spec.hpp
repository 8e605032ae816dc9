#pragma once
// A sweep file (format in scenarios/SWEEPS.md): a base scenario plus axes.
//   base: ../quickstart.yaml        # or an inline scenario map
//   axes:
//     grid:   {KEY: [v1, v2], ...}  # cartesian product, first key slowest
//     zip:    {KEY: [..], KEY: [..]}  # or a list of such maps; lists of equal length
//     random: {points: N, seed: S, keys: {KEY: {uniform: [lo, hi]}, ...}}
//   seeds: [1, 2, 3]                # or repetitions: N (seeds base.seed .. base.seed+N-1)
// Parsing checks the sweep file's own keys and paths; the values are checked
// later, point by point, by the scenario loader (sim/sweep_expand.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/sweep_path.hpp"

namespace tinyfleet {

struct SweepKey {
  std::string text;  // the path as written: a parameter name in manifests and results
  std::vector<PathStep> path;
  YAML::Mark mark;  // of the key in the sweep file
};

// One direction of the product: its keys move together (one key for a grid
// axis, several for a zip group or a random block).
struct SweepDimension {
  std::vector<SweepKey> keys;
  std::vector<std::vector<YAML::Node>> values;  // values[position][key]
  std::vector<std::vector<YAML::Mark>> marks;   // where each value came from
};

struct SweepSpec {
  std::string file;                        // the sweep file
  YAML::Node base;                         // the base scenario tree (with its marks)
  std::string base_file;                   // the file `base`'s marks point into
  YAML::Mark base_mark;                    // of the `base` key in the sweep file
  std::vector<SweepDimension> dimensions;  // slowest first; seeds last
  std::size_t point_count() const;
};

// Throws ScenarioError ("sweep.yaml:4:5: ...") on a malformed sweep file.
SweepSpec load_sweep_file(const std::string& path);

}  // namespace tinyfleet
