// Sweep files: paths, grid/zip/random/seed expansion, and errors that point
// into the sweep file.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "scenarios/loader.hpp"
#include "sim/sweep_expand.hpp"

namespace fs = std::filesystem;
using namespace tinyfleet;

namespace {

const char* kBase = R"(name: base
seed: 40
duration: 20m
fleet:
  - group: knn
    count: 2
    device: nrf52840
    stream: {generator: sea, rate: 1/s}
    labels: {fraction: 0.5}
    learner: {kind: knn, detector: {kind: page_hinkley, threshold: 20}}
  - group: still
    count: 1
    device: nrf52840
    stream: {generator: sea}
    learner: {kind: static}
)";

fs::path scratch() {
  const fs::path d =
      fs::temp_directory_path() / ("tinyfleet-sweep-expand-" + std::to_string(getpid()));
  fs::create_directories(d);
  return d;
}

std::string write(const std::string& name, const std::string& text) {
  const fs::path p = scratch() / name;
  std::ofstream(p) << text;
  return p.string();
}

std::vector<SweepPoint> expand_text(const std::string& sweep) {
  write("base.yaml", kBase);
  return expand_sweep(load_sweep_file(write("sweep.yaml", sweep)), default_schema_catalog());
}

std::string value(const SweepPoint& p, const std::string& name) {
  for (const auto& [k, v] : p.values)
    if (k == name) return v;
  return "<none>";
}

Scenario scenario_of(const SweepPoint& p) {
  return parse_scenario(p.scenario_yaml, "point", default_schema_catalog());
}

// The error message of expanding `sweep`, or "" if it expands.
std::string error_of(const std::string& sweep) {
  try {
    expand_text(sweep);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("sweep paths: keys, indices and selectors") {
  auto steps = parse_sweep_path("fleet[group=a.b].drift.0.width");
  REQUIRE(steps.size() == 5);
  CHECK(steps[1].kind == PathStep::Kind::Select);
  CHECK(steps[1].field == "group");
  CHECK(steps[1].value == "a.b");
  CHECK(steps[3].key == "0");
  CHECK(parse_sweep_path("fleet[1].count")[1].index == 1);
  CHECK_THROWS_AS(parse_sweep_path("fleet[group=a.count"), SweepPathError);
  CHECK_THROWS_AS(parse_sweep_path("fleet..count"), SweepPathError);
  CHECK_THROWS_AS(parse_sweep_path("fleet[x]"), SweepPathError);

  YAML::Node tree = YAML::Load(kBase);
  CHECK(set_at_path(tree, parse_sweep_path("fleet[group=still].labels.delay"), YAML::Node("5s")) ==
        "fleet.1.labels.delay");
  CHECK(tree["fleet"][1]["labels"]["delay"].Scalar() == "5s");
  CHECK(tree["fleet"][0]["group"].Scalar() == "knn");  // untouched
  CHECK(value_text(YAML::Load("{kind: adwin, delta: 0.01}")) == "{kind: adwin, delta: 0.01}");
  CHECK(value_text(YAML::Load("kind: adwin\ndelta: 0.01\n")) == "{kind: adwin, delta: 0.01}");
}

TEST_CASE("grid: cartesian product, last key fastest, values applied") {
  const auto points = expand_text(R"(base: base.yaml
axes:
  grid:
    fleet.0.labels.fraction: [0.1, 0.2, 0.3]
    fleet[group=knn].learner.detector: [{kind: adwin}, {kind: ddm}]
)");
  REQUIRE(points.size() == 6);
  CHECK(value(points[0], "fleet.0.labels.fraction") == "0.1");
  CHECK(value(points[1], "fleet.0.labels.fraction") == "0.1");
  CHECK(value(points[1], "fleet[group=knn].learner.detector") == "{kind: ddm}");
  CHECK(value(points[5], "fleet.0.labels.fraction") == "0.3");
  const Scenario sc = scenario_of(points[3]);
  CHECK(sc.groups[0].labels.fraction == doctest::Approx(0.2));
  CHECK(sc.groups[0].learner.detector.kind == "ddm");
  CHECK(sc.groups[1].learner.kind == "static");
  CHECK(sc.seed == 40);
  for (std::size_t i = 0; i < points.size(); ++i) CHECK(points[i].index == i);
}

TEST_CASE("zip groups advance together; random draws are seeded; seeds go last") {
  const std::string sweep = R"(base: base.yaml
axes:
  grid:
    duration: [10m, 20m]
  zip:
    - {fleet.0.count: [1, 2, 3], fleet.1.count: [4, 5, 6]}
  random:
    points: 4
    seed: 9
    keys:
      fleet.0.labels.fraction: {uniform: [0.25, 0.75]}
      fleet.0.learner.k: {int: [1, 3]}
      fleet.1.stream.params.noise: {choice: [0.0, 0.1]}
seeds: [7, 8]
)";
  const auto points = expand_text(sweep);
  REQUIRE(points.size() == 2 * 3 * 4 * 2);
  CHECK(value(points[0], "seed") == "7");
  CHECK(value(points[1], "seed") == "8");
  CHECK(value(points[0], "fleet.0.count") == "1");
  CHECK(value(points[0], "fleet.1.count") == "4");
  CHECK(value(points[8], "fleet.0.count") == "2");  // zip moves every 4*2 points
  CHECK(value(points[8], "fleet.1.count") == "5");
  CHECK(value(points[24], "duration") == "20m");
  std::set<std::string> ks, fractions;
  for (const auto& p : points) {
    const Scenario sc = scenario_of(p);
    CHECK(sc.groups[0].labels.fraction >= 0.25);
    CHECK(sc.groups[0].labels.fraction <= 0.75);
    ks.insert(value(p, "fleet.0.learner.k"));
    fractions.insert(value(p, "fleet.0.labels.fraction"));
    CHECK(sc.seed == std::stoull(value(p, "seed")));
  }
  CHECK(fractions.size() == 4);  // one draw per random point
  for (const auto& k : ks) CHECK((k == "1" || k == "2" || k == "3"));
  // Deterministic: the same file gives the same points, another seed others.
  const auto again = expand_text(sweep);
  for (std::size_t i = 0; i < points.size(); ++i)
    CHECK(points[i].scenario_yaml == again[i].scenario_yaml);
  std::string reseeded = sweep;
  reseeded.replace(reseeded.find("seed: 9"), 7, "seed: 10");
  CHECK(expand_text(reseeded)[0].values != points[0].values);
}

TEST_CASE("repetitions count seeds up from the base seed; inline base") {
  const auto points = expand_text(R"(base: base.yaml
repetitions: 3
)");
  REQUIRE(points.size() == 3);
  CHECK(scenario_of(points[0]).seed == 40);
  CHECK(scenario_of(points[2]).seed == 42);

  const auto inline_points = expand_text(R"(base:
  name: inline
  duration: 5m
  fleet: [{group: g, device: nrf52840, stream: {generator: sea}, learner: {kind: static}}]
axes:
  grid:
    fleet.0.count: [1, 2]
)");
  REQUIRE(inline_points.size() == 2);
  CHECK(scenario_of(inline_points[1]).groups[0].count == 2);
}

TEST_CASE("bad sweeps are reported at the sweep file's line and column") {
  const std::string sweep_file = (scratch() / "sweep.yaml").string();
  // A typo in a swept key: the loader's suggestion, at the key in the sweep file.
  std::string e = error_of("base: base.yaml\naxes:\n  grid:\n    fleet.0.labels.fracton: [0.2]\n");
  CHECK(e.find(sweep_file + ":4:5: point 0: fleet.0.labels.fracton = 0.2") == 0);
  CHECK(e.find("did you mean 'fraction'?") != std::string::npos);
  // A bad value: at that value.
  e = error_of("base: base.yaml\naxes:\n  grid:\n    fleet.0.labels.fraction: [0.2, 1.5]\n");
  CHECK(e.find(sweep_file + ":4:36: point 1:") == 0);
  CHECK(e.find("out of range [0, 1]") != std::string::npos);
  // A selector that matches no group: suggestion.
  e = error_of("base: base.yaml\naxes:\n  grid:\n    fleet[group=knm].count: [1]\n");
  CHECK(e.find(sweep_file + ":4:5:") == 0);
  CHECK(e.find("did you mean 'knn'?") != std::string::npos);
  e = error_of("base: base.yaml\naxes:\n  grid:\n    fleet.2.count: [1]\n");
  CHECK(e.find("index 2 is out of range") != std::string::npos);
  e = error_of("base: base.yaml\naxes:\n  grid:\n    fleet.0.count.x: [1]\n");
  CHECK(e.find(sweep_file + ":4:5:") == 0);
  // An unknown detector name: at the value, with the suggestion.
  e = error_of("base: base.yaml\naxes:\n  grid:\n    fleet.1.learner.kind: [static, knm]\n");
  CHECK(e.find(sweep_file + ":4:36: point 1:") == 0);
  CHECK(e.find("did you mean 'knn'?") != std::string::npos);
  // A value that breaks the base elsewhere: at the base file, naming the point.
  e = error_of("base: base.yaml\naxes:\n  grid:\n    fleet.0.learner.detector.kind: [adwin]\n");
  CHECK(e.find((scratch() / "base.yaml").string() + ":10:57:") == 0);
  CHECK(e.find("point 0 (fleet.0.learner.detector.kind = adwin)") != std::string::npos);
  // The sweep file's own keys.
  e = error_of("base: base.yaml\naxes:\n  gird:\n    fleet.0.count: [1]\n");
  CHECK(e.find(sweep_file + ":3:3: unknown key 'gird'") == 0);
  CHECK(e.find("did you mean 'grid'?") != std::string::npos);
  e = error_of("base: base.yaml\naxes:\n  zip:\n    fleet.0.count: [1, 2]\n    duration: [1m]\n");
  CHECK(e.find(sweep_file + ":5:15:") == 0);
  CHECK(e.find("equal length") != std::string::npos);
  e = error_of("base: base.yaml\nseeds: [1]\nrepetitions: 2\n");
  CHECK(e.find(sweep_file + ":3:1:") == 0);
  e = error_of("base: base.yaml\nseeds: [1]\naxes:\n  grid:\n    seed: [3]\n");
  CHECK(e.find("swept twice") != std::string::npos);
  e = error_of("base: nothere.yaml\nseeds: [1]\n");
  CHECK(e.find(sweep_file + ":1:7: base: cannot open") == 0);
  e = error_of("base: base.yaml\n");
  CHECK(e.find("no axes") != std::string::npos);
  e = error_of(
      "base: base.yaml\naxes:\n  random: {points: 2, keys: {duration: {normal: [1, 2]}}}\n");
  CHECK(e.find("unknown key 'normal'") != std::string::npos);
}

TEST_CASE("write_sweep: numbered points and a manifest; re-expanding is a no-op") {
  write("base.yaml", kBase);
  const SweepSpec spec = load_sweep_file(
      write("sweep.yaml", "base: base.yaml\naxes:\n  grid:\n    fleet.0.count: [1, 2, 3]\n"));
  const auto points = expand_sweep(spec, default_schema_catalog());
  const fs::path dir = scratch() / "expanded";
  fs::remove_all(dir);
  const SweepManifest m = write_sweep(dir.string(), spec, points);
  CHECK(m.points.size() == 3);
  CHECK(m.points[2].dir == "points/0002");
  CHECK(fs::exists(dir / "points/0002/scenario.yaml"));
  const SweepManifest read = read_manifest(dir.string());
  CHECK(read.parameters == std::vector<std::string>{"fleet.0.count"});
  CHECK(read.points[1].values[0].second == "2");
  CHECK_NOTHROW(write_sweep(dir.string(), spec, points));
  const SweepSpec other = load_sweep_file(
      write("other.yaml", "base: base.yaml\naxes:\n  grid:\n    fleet.0.count: [1, 2]\n"));
  CHECK_THROWS_AS(write_sweep(dir.string(), other, expand_sweep(other, default_schema_catalog())),
                  std::invalid_argument);
  CHECK(point_dir_name(3, 12000) == "points/00003");
  fs::remove_all(scratch());
}
