// The scenario loader against a fake catalog: a valid scenario resolves every
// field; each mistake is reported once, at its line and column, in words a
// user can act on. Also runs every file in tests/data/bad_scenarios/.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scenarios/loader.hpp"

using namespace tinyfleet;

namespace {

ParamSpec int_param(std::string name, double min, double max, double fallback) {
  return ParamSpec{std::move(name), ParamSpec::Type::Int, min, max, fallback, {}, ""};
}

ParamSpec real_param(std::string name, double min, double max, double fallback) {
  return ParamSpec{std::move(name), ParamSpec::Type::Real, min, max, fallback, {}, ""};
}

ParamSpec choice_param(std::string name, std::vector<std::string> choices) {
  return ParamSpec{std::move(name), ParamSpec::Type::Choice, 0, 0, 0, std::move(choices), ""};
}

SchemaCatalog fake_catalog() {
  SchemaCatalog catalog;
  catalog.generators = {
      {"sea", "SEA concepts", {int_param("variant", 0, 3, 0), real_param("noise", 0, 1, 0.1)}}};
  catalog.learners = {
      {"knn",
       "k nearest neighbours",
       {int_param("k", 1, 64, 3), int_param("budget", 1, 100000, 64),
        choice_param("change_time", {"detector", "refine"}), real_param("validate_z", 0, 10, 0)}},
      {"static", "never learns", {}},
      {"tifed", "integer DFA MLP", {int_param("hidden", 1, 1024, 16)}},
      {"nitro",
       "integer local-loss MLP",
       {choice_param("on_drift", {"none", "reset_head", "reset"})}}};
  catalog.detectors = {{"page_hinkley",
                        "Page-Hinkley test",
                        {real_param("threshold", 0, 1e6, 50), real_param("delta", 0, 1, 0.005),
                         int_param("min_instances", 1, 100000, 30)}},
                       {"ddm", "DDM", {}}};
  catalog.boards = {"nrf52840", "stm32f401re"};
  catalog.links = {"ble", "wifi"};
  return catalog;
}

const char* const kValid = R"(name: quickstart
seed: 42
duration: 2h
network: {topology: star, link: wifi}
output: {every: 30s, window: 5m}
fleet:
  - group: knn-ph
    count: 50
    device: nrf52840
    stream:
      generator: sea
      params: {variant: 1, noise: 0.2}
      rate: 2/s
    drift:
      - {at: 90m, kind: gradual, width: 20m, to: {variant: 2}, devices: 40%}
      - {at: 1h, kind: abrupt, to: {variant: 3, noise: 0}, devices: all}
      - {at: 100m, to: {noise: 0.5}, devices: [0, 7, 3]}
    labels: {fraction: 0.2, delay: 30s}
    learner: {kind: knn, k: 5, detector: {kind: page_hinkley, threshold: 20}}
    status: {every: 2m, bytes: 128}
  - group: baseline
    device: stm32f401re
    stream: {generator: sea}
    learner: {kind: static}
)";

Scenario parse(const std::string& text) {
  return parse_scenario(text, "q.yaml", fake_catalog());
}

// The full what() of the error `text` raises, or "" if it loads.
std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "";
}

// kValid with the first occurrence of `from` replaced by `to`.
std::string valid_with(const std::string& from, const std::string& to) {
  std::string text = kValid;
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a valid scenario resolves every field") {
  const Scenario s = parse(kValid);
  CHECK(s.file == "q.yaml");
  CHECK(s.name == "quickstart");
  CHECK(s.seed == 42);
  CHECK(s.duration_s == 7200);
  CHECK(s.network.topology == "star");
  CHECK(s.network.link == "wifi");
  CHECK(s.output.every_s == 30);
  CHECK(s.output.window_s == 300);
  REQUIRE(s.groups.size() == 2);

  const GroupSpec& g = s.groups[0];
  CHECK(g.name == "knn-ph");
  CHECK(g.count == 50);
  CHECK(g.device == "nrf52840");
  CHECK(g.stream.generator == "sea");
  CHECK(g.stream.params.number("variant") == 1);
  CHECK(g.stream.params.number("noise") == 0.2);
  CHECK(g.stream.rate_hz == 2);
  CHECK(g.labels.fraction == 0.2);
  CHECK(g.labels.delay_s == 30);
  CHECK(g.learner.kind == "knn");
  CHECK(g.learner.params.number("k") == 5);
  CHECK(g.learner.params.number("budget") == 64);  // default filled
  CHECK(g.learner.detector.kind == "page_hinkley");
  CHECK(g.learner.detector.params.number("threshold") == 20);
  CHECK(g.learner.detector.params.number("delta") == 0.005);
  CHECK(g.learner.detector.params.number("min_instances") == 30);
  CHECK(g.status_every_s == 120);
  CHECK(g.status_bytes == 128);

  // Sorted by time; `to` holds only the keys given.
  REQUIRE(g.drifts.size() == 3);
  CHECK(g.drifts[0].at_s == 3600);
  CHECK(g.drifts[0].kind == DriftSpec::Kind::Abrupt);
  CHECK(g.drifts[0].width_s == 0);
  CHECK(g.drifts[0].to.numbers == std::map<std::string, double>{{"variant", 3}, {"noise", 0}});
  CHECK(g.drifts[0].devices.kind == DeviceSelector::Kind::All);
  CHECK(g.drifts[1].at_s == 5400);
  CHECK(g.drifts[1].kind == DriftSpec::Kind::Gradual);
  CHECK(g.drifts[1].width_s == 1200);
  CHECK(g.drifts[1].to.numbers == std::map<std::string, double>{{"variant", 2}});
  CHECK(g.drifts[1].to.strings.empty());
  CHECK(g.drifts[1].devices.kind == DeviceSelector::Kind::Fraction);
  CHECK(g.drifts[1].devices.fraction == doctest::Approx(0.4));
  CHECK(g.drifts[2].at_s == 6000);
  CHECK(g.drifts[2].to.numbers == std::map<std::string, double>{{"noise", 0.5}});
  CHECK(g.drifts[2].devices.kind == DeviceSelector::Kind::List);
  CHECK(g.drifts[2].devices.indices == std::vector<int>{0, 7, 3});
}

TEST_CASE("omitted keys take their documented defaults") {
  const Scenario s = parse(kValid);
  const GroupSpec& g = s.groups[1];
  CHECK(g.name == "baseline");
  CHECK(g.count == 1);
  CHECK(g.stream.params.number("variant") == 0);
  CHECK(g.stream.params.number("noise") == 0.1);
  CHECK(g.stream.rate_hz == 1);
  CHECK(g.drifts.empty());
  CHECK(g.labels.fraction == 1);
  CHECK(g.labels.delay_s == 0);
  CHECK(g.learner.kind == "static");
  CHECK(g.learner.params == Params{});
  CHECK(g.learner.detector.kind.empty());
  CHECK(g.status_every_s == 60);
  CHECK(g.status_bytes == 64);

  const Scenario minimal = parse(
      "name: m\nduration: 90\nfleet:\n  - {group: a, device: nrf52840, stream: {generator: sea}, "
      "learner: {kind: static}}\n");
  CHECK(minimal.seed == 1);
  CHECK(minimal.duration_s == 90);
  CHECK(minimal.network.topology == "star");
  CHECK(minimal.network.link == "ble");
  CHECK(minimal.output.every_s == 60);
  CHECK(minimal.output.window_s == 600);
}

TEST_CASE("network medium access and detection delay are optional keys") {
  const Scenario s = parse(valid_with("network: {topology: star, link: wifi}",
                                      "network: {link: wifi, slot: 20ms, channels: 8}"));
  CHECK(s.network.slot_s == doctest::Approx(0.02));
  CHECK(s.network.channels == 8);
  CHECK(parse(valid_with("window: 5m", "window: 5m, max_delay: 10m")).output.max_delay_s == 600);
  CHECK(parse(valid_with("window: 5m", "window: 5m")).output.service_level == 0.8);
  CHECK(parse(valid_with("window: 5m", "window: 5m, service_level: 0.65")).output.service_level ==
        0.65);
}

TEST_CASE("bool and choice parameters are validated") {
  SchemaCatalog catalog = fake_catalog();
  ParamSpec forget{"forget", ParamSpec::Type::Bool, 0, 1, 1, {}, ""};
  ParamSpec mode{"mode", ParamSpec::Type::Choice, 0, 0, 0, {"up", "down", "both"}, ""};
  catalog.learners.push_back({"tuned", "", {forget, mode}});
  const auto load = [&](const std::string& learner) {
    return parse_scenario(valid_with("{kind: static}", learner), "q.yaml", catalog);
  };
  const Params defaults = load("{kind: tuned}").groups[1].learner.params;
  CHECK(defaults.number("forget") == 1);
  CHECK(defaults.string("mode") == "up");
  const Params given = load("{kind: tuned, forget: false, mode: both}").groups[1].learner.params;
  CHECK(given.number("forget") == 0);
  CHECK(given.string("mode") == "both");
  CHECK_THROWS_WITH(load("{kind: tuned, forget: maybe}"),
                    "q.yaml:24:36: learner.forget: expected true or false, got 'maybe'");
  CHECK_THROWS_WITH(load("{kind: tuned, mode: dwon}"),
                    "q.yaml:24:34: learner.mode: unknown value 'dwon' (did you mean 'down'?; "
                    "known: both, down, up)");
}

TEST_CASE("errors point at the offending key or value") {
  CHECK(error_of(valid_with("k: 5,", "k: 5, budjet: 10,")) ==
        "q.yaml:19:32: unknown key 'budjet' in learner 'knn' (did you mean 'budget'?)");
  CHECK(error_of(valid_with("device: nrf52840", "device: nrf52480")) ==
        "q.yaml:9:13: unknown device 'nrf52480' (did you mean 'nrf52840'?; known: nrf52840, "
        "stm32f401re)");
  CHECK(error_of(valid_with("duration: 2h", "duration: two hours")) ==
        "q.yaml:3:11: duration: expected a duration like '90s', '2h' or a number of seconds, got "
        "'two hours'");
  CHECK(error_of(valid_with("fraction: 0.2", "fraction: 1.5")) ==
        "q.yaml:18:24: labels.fraction: 1.5 is out of range [0, 1]");
  CHECK(error_of(valid_with("    device: nrf52840\n", "")) ==
        "q.yaml:7:5: missing required key 'device' in group 'knn-ph'");
  CHECK(error_of(valid_with("count: 50", "count: many")) ==
        "q.yaml:8:12: count: expected an integer, got 'many'");
  CHECK(error_of(valid_with("count: 50", "count: [1, 2]")) ==
        "q.yaml:8:12: count: expected an integer, got a list");
  CHECK(error_of(valid_with("count: 50", "count: 2.5")) ==
        "q.yaml:8:12: count: expected an integer, got '2.5'");
  CHECK(error_of(valid_with("count: 50", "count: 0")) ==
        "q.yaml:8:12: count: 0 is out of range [1, 1000000]");
}

TEST_CASE("keys are checked at every level") {
  CHECK(error_of(valid_with("seed: 42", "sead: 42")) ==
        "q.yaml:2:1: unknown key 'sead' in scenario (did you mean 'seed'?)");
  CHECK(error_of(valid_with("topology: star", "topolgy: star")) ==
        "q.yaml:4:11: unknown key 'topolgy' in network (did you mean 'topology'?)");
  CHECK(error_of(valid_with("window: 5m", "windw: 5m")) ==
        "q.yaml:5:22: unknown key 'windw' in output (did you mean 'window'?)");
  CHECK(error_of(valid_with("window: 5m", "window: 5m, service_levl: 0.9")) ==
        "q.yaml:5:34: unknown key 'service_levl' in output (did you mean 'service_level'?)");
  CHECK(error_of(valid_with("window: 5m", "window: 5m, service_level: 1.5")) ==
        "q.yaml:5:49: output.service_level: 1.5 is out of range [0, 1]");
  CHECK(error_of(valid_with("    count: 50", "    cout: 50")) ==
        "q.yaml:8:5: unknown key 'cout' in group 'knn-ph' (did you mean 'count'?)");
  CHECK(error_of(valid_with("rate: 2/s", "rat: 2/s")) ==
        "q.yaml:13:7: unknown key 'rat' in stream of group 'knn-ph' (did you mean 'rate'?)");
  CHECK(error_of(valid_with("noise: 0.2", "nois: 0.2")) ==
        "q.yaml:12:28: unknown key 'nois' in params of generator 'sea' (did you mean 'noise'?)");
  CHECK(error_of(valid_with("devices: 40%", "device: 40%")) ==
        "q.yaml:15:64: unknown key 'device' in drift[0] of group 'knn-ph' (did you mean "
        "'devices'?)");
  CHECK(error_of(valid_with("to: {variant: 2}", "to: {varaint: 2}")) ==
        "q.yaml:15:51: unknown key 'varaint' in drift[0].to of group 'knn-ph' (generator 'sea') "
        "(did you mean 'variant'?)");
  CHECK(error_of(valid_with("delay: 30s", "latency: 30s")) ==
        "q.yaml:18:29: unknown key 'latency' in labels of group 'knn-ph' (valid keys: fraction, "
        "delay, delay_jitter, budget, budget_window, query_uncertainty, self)");
  CHECK(error_of(valid_with("threshold: 20", "treshold: 20")) ==
        "q.yaml:19:63: unknown key 'treshold' in detector 'page_hinkley' (did you mean "
        "'threshold'?)");
  CHECK(error_of(valid_with("bytes: 128", "byte: 128")) ==
        "q.yaml:20:25: unknown key 'byte' in status of group 'knn-ph' (did you mean 'bytes'?)");
  CHECK(error_of(valid_with("{kind: static}", "{kind: static, k: 3}")) ==
        "q.yaml:24:29: unknown key 'k' in learner 'static' (valid keys: kind, detector, pretrain)");
}

TEST_CASE("names are checked against the catalog with suggestions") {
  CHECK(error_of(valid_with("link: wifi", "link: wify")) ==
        "q.yaml:4:33: unknown link 'wify' (did you mean 'wifi'?; known: ble, wifi)");
  CHECK(error_of(valid_with("topology: star", "topology: mesh")) ==
        "q.yaml:4:21: unknown topology 'mesh' (known: star)");
  CHECK(error_of(valid_with("generator: sea", "generator: stagger")) ==
        "q.yaml:11:18: unknown generator 'stagger' (known: sea)");
  CHECK(
      error_of(valid_with("kind: knn", "kind: kn")) ==
      "q.yaml:19:21: unknown learner 'kn' (did you mean 'knn'?; known: knn, nitro, static, tifed)");
  CHECK(error_of(valid_with("kind: page_hinkley", "kind: page-hinkley")) ==
        "q.yaml:19:49: unknown detector 'page-hinkley' (did you mean 'page_hinkley'?; known: "
        "ddm, page_hinkley)");
  CHECK(error_of(valid_with("kind: gradual", "kind: gradul")) ==
        "q.yaml:15:25: unknown drift kind 'gradul' (did you mean 'gradual'?; known: abrupt, "
        "gradual, incremental, recurring)");
}

TEST_CASE("drift entries are checked against the group and the duration") {
  CHECK(error_of(valid_with("at: 90m", "at: 3h")) ==
        "q.yaml:15:14: drift[0].at: 3h is beyond the scenario duration (2h)");
  CHECK(error_of(valid_with("at: 90m", "at: -1m")) ==
        "q.yaml:15:14: drift[0].at: must not be negative, got '-1m'");
  CHECK(error_of(valid_with(" width: 20m,", "")) ==
        "q.yaml:15:9: missing required key 'width' in drift[0] of group 'knn-ph' (a gradual "
        "drift needs one)");
  CHECK(error_of(valid_with("kind: abrupt,", "kind: abrupt, width: 5m,")) ==
        "q.yaml:16:32: drift[1].width: only a gradual, incremental or recurring drift has a "
        "width (add 'kind: gradual' or remove 'width')");
  CHECK(error_of(valid_with("width: 20m", "width: 0s")) ==
        "q.yaml:15:41: drift[0].width: must be greater than 0, got '0s'");
  CHECK(error_of(valid_with("devices: 40%", "devices: 140%")) ==
        "q.yaml:15:73: drift[0].devices: 140% is out of range (0%, 100%]");
  CHECK(error_of(valid_with("devices: 40%", "devices: 0%")) ==
        "q.yaml:15:73: drift[0].devices: 0% is out of range (0%, 100%]");
  CHECK(error_of(valid_with("devices: 40%", "devices: some")) ==
        "q.yaml:15:73: drift[0].devices: expected 'all', a percentage like '40%' or a list of "
        "device indices, got 'some'");
  CHECK(error_of(valid_with("[0, 7, 3]", "[0, 50, 3]")) ==
        "q.yaml:17:51: drift[2].devices[1]: device index 50 is out of range [0, 49] (group "
        "'knn-ph' has 50 devices)");
  CHECK(error_of(valid_with("[0, 7, 3]", "[0, 7, 0]")) ==
        "q.yaml:17:54: drift[2].devices[2]: device index 0 is listed twice");
  CHECK(error_of(valid_with("to: {variant: 2}", "to: {variant: 4}")) ==
        "q.yaml:15:60: drift[0].to.variant: 4 is out of range [0, 3]");
  CHECK(error_of(valid_with("to: {variant: 2}", "to: {}")) ==
        "q.yaml:15:50: drift[0].to: must change at least one parameter of generator 'sea'");
  CHECK(error_of(valid_with(", to: {variant: 2}", "")) ==
        "q.yaml:15:9: missing required key 'to' in drift[0] of group 'knn-ph' (the generator "
        "parameters that change, or 'priors')");
}

TEST_CASE("structural mistakes name what was expected") {
  CHECK(error_of(valid_with("fleet:\n  - group: knn-ph", "fleet:\n    group: knn-ph")
                     .substr(0, std::string(kValid).find("  - group: baseline"))) ==
        "q.yaml:7:5: fleet: expected a list of groups, got a map (start each group with '- "
        "group: NAME')");
  CHECK(error_of("name: q\nduration: 1h\nfleet: []\n") ==
        "q.yaml:3:8: fleet: must list at least one group");
  CHECK(error_of(valid_with("labels: {fraction: 0.2, delay: 30s}", "labels: [0.2]")) ==
        "q.yaml:18:13: labels: expected a map, got a list");
  CHECK(error_of(valid_with("group: baseline", "group: knn-ph")) ==
        "q.yaml:21:12: duplicate group name 'knn-ph' (first used at line 7)");
  CHECK(error_of(valid_with("seed: 42", "seed: -1")) ==
        "q.yaml:2:7: seed: expected a non-negative integer, got '-1'");
  CHECK(error_of(valid_with("seed: 42\n", "seed: 42\nseed: 43\n")) ==
        "q.yaml:3:1: duplicate key 'seed' (first given at line 2)");
  CHECK(error_of(valid_with("duration: 2h", "duration:")) ==
        "q.yaml:3:1: duration: expected a duration like '90s', '2h' or a number of seconds, got "
        "nothing");
  CHECK(error_of(valid_with("duration: 2h", "duration: 0s")) ==
        "q.yaml:3:11: duration: must be greater than 0, got '0s'");
  CHECK(error_of(valid_with("rate: 2/s", "rate: 0/s")) ==
        "q.yaml:13:13: stream.rate: must be greater than 0, got '0/s'");
  CHECK(error_of(valid_with("bytes: 128", "bytes: 70000")) ==
        "q.yaml:20:32: status.bytes: 70000 is out of range [1, 65535]");
  CHECK(error_of(valid_with("delay: 30s", "delay: -1s")) ==
        "q.yaml:18:36: labels.delay: must not be negative, got '-1s'");
  CHECK(error_of("- just\n- a list\n") ==
        "q.yaml:1:1: expected a map of scenario keys (name, duration, fleet, ...), got a list");
  CHECK(error_of("") ==
        "q.yaml:1:1: the scenario is empty; it needs at least 'name', 'duration' and 'fleet'");
}

TEST_CASE("YAML syntax errors become ScenarioErrors with a position") {
  const std::string message = error_of("name: q\nfleet: [1, 2\nduration: 3\n");
  CHECK(message.rfind("q.yaml:3:", 0) == 0);
  CHECK(message.find("invalid YAML") != std::string::npos);
}

TEST_CASE("ScenarioError keeps its parts") {
  try {
    parse(valid_with("count: 50", "count: many"));
    FAIL("expected an error");
  } catch (const ScenarioError& error) {
    CHECK(error.file == "q.yaml");
    CHECK(error.line == 8);
    CHECK(error.column == 12);
    CHECK(error.message == "count: expected an integer, got 'many'");
  }
}

TEST_CASE("load_scenario_file reads a file and reports a missing one without a position") {
  const std::string path = TINYFLEET_SOURCE_DIR "/tests/data/bad_scenarios/does-not-exist.yaml";
  try {
    load_scenario_file(path, fake_catalog());
    FAIL("expected an error");
  } catch (const ScenarioError& error) {
    CHECK(error.line == 0);
    CHECK(error.column == 0);
    CHECK(std::string(error.what()) == path + ": cannot open the scenario file");
  }
}

namespace {

// "# expect: LINE:COL: text" on the first line of a bad scenario file.
struct Expectation {
  std::string position_and_text;  // "LINE:COL: text"
};

Expectation read_expectation(const std::string& path) {
  std::ifstream in(path);
  std::string first_line;
  std::getline(in, first_line);
  const std::string marker = "# expect: ";
  REQUIRE_MESSAGE(first_line.rfind(marker, 0) == 0, path << " must start with '" << marker << "'");
  return Expectation{first_line.substr(marker.size())};
}

std::vector<std::string> bad_scenario_files() {
  std::vector<std::string> paths;
  const std::filesystem::path dir =
      std::filesystem::path(TINYFLEET_SOURCE_DIR) / "tests/data/bad_scenarios";
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".yaml") paths.push_back(entry.path().string());
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace

TEST_CASE("every bad scenario file fails where and how its first line says") {
  const auto paths = bad_scenario_files();
  CHECK(paths.size() >= 14);
  for (const auto& path : paths) {
    CAPTURE(path);
    const Expectation expected = read_expectation(path);
    std::string actual;
    try {
      load_scenario_file(path, fake_catalog());
    } catch (const ScenarioError& error) {
      actual = error.what();
    }
    const std::string prefix = path + ":";
    REQUIRE_MESSAGE(actual.rfind(prefix, 0) == 0, "loaded without error or wrong file: " << actual);
    const std::string rest = actual.substr(prefix.size());
    const std::string position =
        expected.position_and_text.substr(0, expected.position_and_text.find(": ") + 2);
    const std::string text = expected.position_and_text.substr(position.size());
    CHECK_MESSAGE(rest.rfind(position, 0) == 0, actual);
    CHECK_MESSAGE(rest.find(text) != std::string::npos, actual);
  }
}
