#pragma once
// Dotted paths into a scenario's YAML tree, for sweep axes:
//   "duration"                          a top-level key
//   "fleet.0.drift.1.width"             numbers index lists (0-based)
//   "fleet[1].labels.fraction"          the same with brackets
//   "fleet[group=knn].labels.fraction"  the list item whose `group` is `knn`
// Setting a value creates missing map keys on the way (a swept key need not
// be in the base scenario; the loader then checks it like any other key).
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace tinyfleet {

// A path that is malformed, or that does not fit the tree it is applied to.
struct SweepPathError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PathStep {
  enum class Kind { Key, Index, Select };
  Kind kind = Kind::Key;
  std::string key;           // Key (a key made of digits indexes a list instead)
  std::size_t index = 0;     // Index
  std::string field, value;  // Select: the item whose `field` is `value`
};

std::vector<PathStep> parse_sweep_path(const std::string& text);

// Replaces (or creates) the node at `path` in `root` with a copy of `value`.
// Returns the canonical path of what was set ("fleet.1.labels.fraction").
std::string set_at_path(YAML::Node root, const std::vector<PathStep>& path,
                        const YAML::Node& value);

// The node at a canonical dotted path ("fleet.1.labels"), or an invalid node;
// with `key`, the map key naming it (the root and list items have none).
YAML::Node find_canonical(const YAML::Node& root, const std::string& canonical, bool key = false);

// Every node (keys included) starting at 0-based (line, column) in `root`,
// shallowest first, by canonical path.
struct NodeAt {
  std::string path;
  bool is_key = false;
};
std::vector<NodeAt> paths_at(const YAML::Node& root, int line, int column);

// The text of a value for manifests and result columns: a scalar as written,
// anything else as one-line flow YAML ("{kind: adwin}").
std::string value_text(const YAML::Node& value);

}  // namespace tinyfleet
