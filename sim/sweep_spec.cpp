#include "sim/sweep_spec.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "drift/rng.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/yaml_reader.hpp"

namespace tinyfleet {

using scenario_yaml::Field;
using scenario_yaml::MapReader;
using scenario_yaml::Reader;

namespace {

constexpr std::size_t kMaxPoints = 10000000;
constexpr double kHuge = std::numeric_limits<double>::max();

YAML::Node load_yaml_file(const std::string& path, const Reader& reader) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path, 0, 0, "cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return YAML::Load(text.str());
  } catch (const YAML::Exception& bad) {
    reader.fail_at(bad.mark, "invalid YAML: " + bad.msg);
  }
}

SweepKey read_key(const Reader& reader, const Field& field) {
  SweepKey key;
  key.text = field.key.Scalar();
  key.mark = field.key.Mark();
  try {
    key.path = parse_sweep_path(key.text);
  } catch (const SweepPathError& e) {
    reader.fail_at_key(field, e.what());
  }
  return key;
}

std::vector<Field> value_list(const Reader& reader, const Field& field) {
  auto items = scenario_yaml::list_items(reader, field, "a list of values");
  if (items.empty()) reader.fail_at_value(field, field.path + ": the list of values is empty");
  return items;
}

SweepDimension grid_axis(const Reader& reader, const Field& field) {
  SweepDimension dim;
  dim.keys.push_back(read_key(reader, field));
  for (const Field& item : value_list(reader, field)) {
    dim.values.push_back({item.value});
    dim.marks.push_back({item.value.Mark()});
  }
  return dim;
}

SweepDimension zip_group(const Reader& reader, const Field& group) {
  MapReader map = MapReader::open(reader, group, "in " + group.path);
  if (map.fields().empty()) reader.fail_at_value(group, group.path + ": no keys to zip");
  SweepDimension dim;
  std::size_t length = 0;
  std::string first;
  for (const Field& f : map.fields()) {
    dim.keys.push_back(read_key(reader, f));
    const auto items = value_list(reader, f);
    if (dim.keys.size() == 1) {
      length = items.size();
      first = f.key.Scalar();
      dim.values.resize(length);
      dim.marks.resize(length);
    } else if (items.size() != length) {
      reader.fail_at_value(f, f.path + ": zip needs lists of equal length, but it has " +
                                  std::to_string(items.size()) + " values and '" + first +
                                  "' has " + std::to_string(length));
    }
    for (std::size_t i = 0; i < length; ++i) {
      dim.values[i].push_back(items[i].value);
      dim.marks[i].push_back(items[i].value.Mark());
    }
  }
  return dim;
}

std::string number_text(double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// One random key: how to draw its value.
struct Draw {
  std::string kind;  // uniform, log_uniform, int, choice
  double lo = 0, hi = 0;
  long long int_lo = 0, int_hi = 0;
  std::vector<YAML::Node> choices;

  YAML::Node sample(SplitMix64& rng) const {
    if (kind == "choice") return choices[rng.next_below(choices.size())];
    if (kind == "int") {
      const auto span = static_cast<uint64_t>(int_hi - int_lo) + 1;
      return YAML::Node(std::to_string(int_lo + static_cast<long long>(rng.next_below(span))));
    }
    const double u = rng.next_double();
    if (kind == "log_uniform")
      return YAML::Node(number_text(std::exp(std::log(lo) + u * (std::log(hi) - std::log(lo)))));
    return YAML::Node(number_text(lo + u * (hi - lo)));
  }
};

Draw read_draw(const Reader& reader, const Field& field) {
  MapReader map = MapReader::open(reader, field, "in random key '" + field.key.Scalar() + "'");
  map.allow_only({"uniform", "log_uniform", "int", "choice"});
  if (map.fields().size() != 1)
    reader.fail_at_value(field, field.path +
                                    ": give exactly one of uniform: [lo, hi], log_uniform: [lo, "
                                    "hi], int: [lo, hi], choice: [values]");
  const Field& spec = map.fields().front();
  Draw draw;
  draw.kind = spec.key.Scalar();
  const auto items = value_list(reader, spec);
  if (draw.kind == "choice") {
    for (const auto& item : items) draw.choices.push_back(item.value);
    return draw;
  }
  if (items.size() != 2) reader.fail_at_value(spec, spec.path + ": expected [lo, hi]");
  if (draw.kind == "int") {
    const double big = 1e15;
    draw.int_lo = scenario_yaml::read_int(reader, items[0], -big, big);
    draw.int_hi = scenario_yaml::read_int(reader, items[1], -big, big);
    if (draw.int_hi < draw.int_lo) reader.fail_at_value(spec, spec.path + ": needs lo <= hi");
    return draw;
  }
  draw.lo = scenario_yaml::read_real(reader, items[0], -kHuge, kHuge);
  draw.hi = scenario_yaml::read_real(reader, items[1], -kHuge, kHuge);
  if (draw.hi < draw.lo) reader.fail_at_value(spec, spec.path + ": needs lo <= hi");
  if (draw.kind == "log_uniform" && draw.lo <= 0)
    reader.fail_at_value(spec, spec.path + ": log_uniform needs 0 < lo");
  return draw;
}

// Points are drawn in order, and within a point the keys in file order, from
// one SplitMix64 stream: the same seed gives the same points on any machine.
SweepDimension random_block(const Reader& reader, const Field& field) {
  MapReader map = MapReader::open(reader, field, "in axes.random");
  map.allow_only({"points", "seed", "keys"});
  const auto points =
      static_cast<std::size_t>(scenario_yaml::read_int(reader, map.require("points"), 1, 1e6));
  uint64_t seed = 1;
  if (auto f = map.find("seed")) seed = scenario_yaml::read_uint64(reader, *f);
  const Field keys_field = map.require("keys");
  MapReader keys = MapReader::open(reader, keys_field, "in axes.random.keys");
  if (keys.fields().empty()) reader.fail_at_value(keys_field, "axes.random.keys: no keys");
  SweepDimension dim;
  std::vector<Draw> draws;
  for (const Field& f : keys.fields()) {
    dim.keys.push_back(read_key(reader, f));
    draws.push_back(read_draw(reader, f));
  }
  SplitMix64 rng(seed);
  for (std::size_t p = 0; p < points; ++p) {
    dim.values.emplace_back();
    dim.marks.emplace_back();
    for (std::size_t k = 0; k < draws.size(); ++k) {
      dim.values.back().push_back(draws[k].sample(rng));
      dim.marks.back().push_back(keys.fields()[k].value.Mark());
    }
  }
  return dim;
}

SweepDimension seed_axis(const Reader& reader, const MapReader& top, const YAML::Node& base) {
  SweepDimension dim;
  SweepKey key;
  key.text = "seed";
  key.path = parse_sweep_path("seed");
  if (auto seeds = top.find("seeds")) {
    key.mark = seeds->key.Mark();
    for (const Field& item : value_list(reader, *seeds)) {
      scenario_yaml::read_uint64(reader, item);
      dim.values.push_back({item.value});
      dim.marks.push_back({item.value.Mark()});
    }
  } else {
    const Field f = *top.find("repetitions");
    key.mark = f.key.Mark();
    const auto n = scenario_yaml::read_int(reader, f, 1, 1e6);
    uint64_t first = 1;  // the scenario's default seed
    if (base.IsMap() && base["seed"] && base["seed"].IsScalar()) {
      const std::string& s = base["seed"].Scalar();
      std::from_chars(s.data(), s.data() + s.size(), first);
    }
    for (long long i = 0; i < n; ++i) {
      dim.values.push_back({YAML::Node(std::to_string(first + static_cast<uint64_t>(i)))});
      dim.marks.push_back({f.value.Mark()});
    }
  }
  dim.keys.push_back(key);
  return dim;
}

}  // namespace

std::size_t SweepSpec::point_count() const {
  std::size_t n = 1;
  for (const auto& d : dimensions) n *= d.values.size();
  return n;
}

SweepSpec load_sweep_file(const std::string& path) {
  const Reader reader(path);
  SweepSpec spec;
  spec.file = path;
  const YAML::Node root = load_yaml_file(path, reader);
  if (!root.IsMap())
    reader.fail_at(root.Mark(), "expected a sweep: a map with 'base' and 'axes' (and 'seeds')");
  MapReader top(reader, root, "", "in the sweep file");
  // `experiment` is for `tinyfleet reproduce` (analysis/taxonomy_spec.hpp).
  top.allow_only({"base", "axes", "seeds", "repetitions", "experiment"});

  const Field base = top.require("base", "the scenario that every point starts from");
  spec.base_mark = base.key.Mark();
  if (base.value.IsScalar()) {
    const auto dir = std::filesystem::path(path).parent_path();
    spec.base_file = (dir / base.value.Scalar()).lexically_normal().string();
    if (!std::filesystem::is_regular_file(spec.base_file))
      reader.fail_at_value(base, "base: cannot open the scenario file '" + spec.base_file +
                                     "' (paths are relative to the sweep file)");
    spec.base = load_yaml_file(spec.base_file, Reader(spec.base_file));
  } else if (base.value.IsMap()) {
    spec.base = base.value;
    spec.base_file = path;
  } else {
    reader.fail_at_value(base,
                         "base: expected a scenario file name or an inline scenario map, "
                         "got " +
                             scenario_yaml::describe(base.value));
  }
  if (!spec.base.IsMap())
    reader.fail_at_value(base, "base: the base scenario is not a map of scenario keys");

  std::set<std::string> seen;
  auto add = [&](SweepDimension dim) {
    for (const auto& key : dim.keys)
      if (!seen.insert(key.text).second)
        reader.fail_at(key.mark, "'" + key.text + "' is swept twice");
    spec.dimensions.push_back(std::move(dim));
  };
  if (auto axes_field = top.find("axes")) {
    MapReader axes = MapReader::open(reader, *axes_field, "in axes");
    axes.allow_only({"grid", "zip", "random"});
    if (auto grid = axes.find("grid")) {
      MapReader keys = MapReader::open(reader, *grid, "in axes.grid");
      for (const Field& f : keys.fields()) add(grid_axis(reader, f));
    }
    if (auto zip = axes.find("zip")) {
      if (zip->value.IsSequence()) {
        for (const Field& group : scenario_yaml::list_items(reader, *zip, "zip groups"))
          add(zip_group(reader, group));
      } else {
        add(zip_group(reader, *zip));
      }
    }
    if (auto random = axes.find("random")) add(random_block(reader, *random));
  }
  const auto seeds = top.find("seeds");
  const auto repetitions = top.find("repetitions");
  if (seeds && repetitions)
    reader.fail_at_key(*repetitions, "give either 'seeds' or 'repetitions', not both");
  if (seeds || repetitions) add(seed_axis(reader, top, spec.base));
  if (spec.dimensions.empty())
    reader.fail_at(root.Mark(),
                   "the sweep has no axes: give 'axes' (grid, zip, random), "
                   "'seeds' or 'repetitions'");
  std::size_t n = 1;
  for (const auto& d : spec.dimensions) {
    if (n > kMaxPoints / d.values.size())
      reader.fail_at(root.Mark(),
                     "the sweep has more than " + std::to_string(kMaxPoints) + " points");
    n *= d.values.size();
  }
  return spec;
}

}  // namespace tinyfleet
