#pragma once
// DIR/manifest.json of an expanded sweep: the parameter names and, for every
// numbered point, its directory (points/NNNN) and parameter values as text.
// Written last by `sweep expand`, so its presence means the points are complete.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace tinyfleet {

struct SweepManifestPoint {
  std::size_t index = 0;
  std::string dir;  // relative to the sweep directory, e.g. "points/0007"
  std::vector<std::pair<std::string, std::string>> values;  // parameter → value text
};

struct SweepManifest {
  std::string sweep_file;               // as given to `sweep expand`
  std::vector<std::string> parameters;  // in axis order
  std::vector<SweepManifestPoint> points;
};

inline constexpr const char* kSweepFormat = "tinyfleet-sweep/1";

// "points/0007": four digits, more when the sweep has more points.
std::string point_dir_name(std::size_t index, std::size_t count);

std::string manifest_json(const SweepManifest& manifest);
// Throws std::runtime_error naming the file when it is missing or malformed.
SweepManifest read_manifest(const std::string& sweep_dir);

}  // namespace tinyfleet
