#include "sim/sweep_expand.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "analysis/writers.hpp"

namespace fs = std::filesystem;

namespace tinyfleet {
namespace {

// A value set on one point, with where it came from.
struct Applied {
  std::string canonical;  // "fleet.0.labels.fraction"
  const SweepKey* key = nullptr;
  YAML::Mark mark;
  std::string text;
};

bool under(const std::string& path, const std::string& prefix) {
  return path == prefix ||
         (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
          path[prefix.size()] == '.');
}

std::string describe_point(std::size_t index, const std::vector<Applied>& applied) {
  std::string s = "point " + std::to_string(index) + " (";
  for (std::size_t i = 0; i < applied.size(); ++i)
    s += (i ? ", " : "") + applied[i].key->text + " = " + applied[i].text;
  return s + ")";
}

// The loader's error in a point's YAML, moved to where the user can fix it:
// the axis value that produced the offending node, else the base scenario.
[[noreturn]] void relocate(const ScenarioError& e, const SweepSpec& spec, std::size_t index,
                           const std::string& text, const std::vector<Applied>& applied) {
  std::vector<NodeAt> nodes;
  if (e.line > 0) nodes = paths_at(YAML::Load(text), e.line - 1, e.column - 1);
  for (auto n = nodes.rbegin(); n != nodes.rend(); ++n)
    for (const Applied& a : applied)
      if (under(n->path, a.canonical) || under(a.canonical, n->path)) {
        // A rejected key is the axis's key (a typo in the path); anything else its value.
        const YAML::Mark at = n->is_key && n->path == a.canonical ? a.key->mark : a.mark;
        throw ScenarioError(spec.file, at.line + 1, at.column + 1,
                            "point " + std::to_string(index) + ": " + a.key->text + " = " + a.text +
                                ": " + e.message);
      }
  for (auto n = nodes.rbegin(); n != nodes.rend(); ++n) {
    const YAML::Node node = find_canonical(spec.base, n->path, n->is_key);
    if (node.IsDefined() && node.Mark().line >= 0)
      throw ScenarioError(
          spec.base_file, node.Mark().line + 1, node.Mark().column + 1,
          e.message + " (base scenario, in " + describe_point(index, applied) + ")");
  }
  throw ScenarioError(spec.file, spec.base_mark.line + 1, spec.base_mark.column + 1,
                      describe_point(index, applied) + ": " + e.message);
}

SweepPoint build_point(const SweepSpec& spec, const SchemaCatalog& catalog, std::size_t index) {
  SweepPoint point;
  point.index = index;
  YAML::Node tree = YAML::Clone(spec.base);
  std::vector<Applied> applied;
  // Mixed radix: the last dimension moves fastest.
  std::vector<std::size_t> position(spec.dimensions.size());
  std::size_t rest = index;
  for (std::size_t d = spec.dimensions.size(); d-- > 0;) {
    position[d] = rest % spec.dimensions[d].values.size();
    rest /= spec.dimensions[d].values.size();
  }
  for (std::size_t d = 0; d < spec.dimensions.size(); ++d) {
    const SweepDimension& dim = spec.dimensions[d];
    for (std::size_t k = 0; k < dim.keys.size(); ++k) {
      const YAML::Node& value = dim.values[position[d]][k];
      Applied a;
      a.key = &dim.keys[k];
      a.mark = dim.marks[position[d]][k];
      a.text = value_text(value);
      try {
        a.canonical = set_at_path(tree, a.key->path, value);
      } catch (const SweepPathError& e) {
        throw ScenarioError(spec.file, a.key->mark.line + 1, a.key->mark.column + 1,
                            "'" + a.key->text + "': " + e.what());
      }
      for (const Applied& before : applied)
        if (under(a.canonical, before.canonical) || under(before.canonical, a.canonical))
          throw ScenarioError(spec.file, a.key->mark.line + 1, a.key->mark.column + 1,
                              "'" + a.key->text + "' and '" + before.key->text +
                                  "' set the same part of the scenario (" + a.canonical + ")");
      point.values.emplace_back(a.key->text, a.text);
      applied.push_back(a);
    }
  }
  YAML::Emitter out;
  out << tree;
  std::string header =
      "# tinyfleet sweep point " + std::to_string(index) + " of " + spec.file + "\n";
  for (const Applied& a : applied) header += "#   " + a.key->text + " = " + a.text + "\n";
  point.scenario_yaml = header + out.c_str() + "\n";
  try {
    parse_scenario(point.scenario_yaml, "point " + std::to_string(index), catalog);
  } catch (const ScenarioError& e) {
    relocate(e, spec, index, point.scenario_yaml, applied);
  }
  return point;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::vector<SweepPoint> expand_sweep(const SweepSpec& spec, const SchemaCatalog& catalog) {
  std::vector<SweepPoint> points;
  const std::size_t n = spec.point_count();
  points.reserve(n);
  for (std::size_t i = 0; i < n; ++i) points.push_back(build_point(spec, catalog, i));
  return points;
}

SweepManifest write_sweep(const std::string& dir, const SweepSpec& spec,
                          const std::vector<SweepPoint>& points) {
  SweepManifest manifest;
  manifest.sweep_file = spec.file;
  for (const auto& d : spec.dimensions)
    for (const auto& k : d.keys) manifest.parameters.push_back(k.text);
  for (const auto& p : points)
    manifest.points.push_back({p.index, point_dir_name(p.index, points.size()), p.values});
  const std::string json = manifest_json(manifest);
  const fs::path root(dir);
  const fs::path manifest_path = root / "manifest.json";
  if (fs::exists(manifest_path)) {
    if (read_text(manifest_path) != json)
      throw std::invalid_argument(dir +
                                  " already holds a different sweep (manifest.json differs); "
                                  "expand into a new directory or remove it");
    bool same = true;
    for (std::size_t i = 0; i < points.size() && same; ++i)
      same = read_text(root / manifest.points[i].dir / "scenario.yaml") == points[i].scenario_yaml;
    if (same) return manifest;
    throw std::invalid_argument(dir +
                                " already holds this sweep with different point scenarios "
                                "(the base scenario changed?); expand into a new directory");
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    const fs::path point_dir = root / manifest.points[i].dir;
    fs::create_directories(point_dir);
    write_file_atomically((point_dir / "scenario.yaml").string(), points[i].scenario_yaml);
  }
  write_file_atomically(manifest_path.string(), json);
  return manifest;
}

}  // namespace tinyfleet
