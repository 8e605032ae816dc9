#include "scenarios/loader.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "scenarios/drift_reader.hpp"
#include "scenarios/federation_reader.hpp"
#include "scenarios/lifecycle_reader.hpp"
#include "scenarios/param_reader.hpp"
#include "scenarios/yaml_reader.hpp"

namespace tinyfleet {

using scenario_yaml::Field;
using scenario_yaml::MapReader;
using scenario_yaml::ParamFill;
using scenario_yaml::Reader;

namespace {

std::string error_text(const std::string& file, int line, int column, const std::string& message) {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

constexpr int kMaxGroupDevices = 1000000;
constexpr int kMaxStatusBytes = 65535;
constexpr int kMaxChannels = 1000;
const std::vector<std::string> kTopologies = {"star"};

std::vector<std::string> names_of(const std::vector<ComponentInfo>& components) {
  std::vector<std::string> names;
  for (const auto& component : components) names.push_back(component.name);
  return names;
}

const ComponentInfo& component_named(const std::vector<ComponentInfo>& components,
                                     const std::string& name) {
  return *std::find_if(components.begin(), components.end(),
                       [&](const ComponentInfo& c) { return c.name == name; });
}

double read_positive_duration(const Reader& reader, const Field& field) {
  const double seconds = scenario_yaml::read_duration(reader, field);
  scenario_yaml::require_positive(reader, field, seconds);
  return seconds;
}

NetworkSpec read_network(const Reader& reader, const Field& field, const SchemaCatalog& catalog) {
  MapReader map = MapReader::open(reader, field, "in network");
  map.allow_only({"topology", "link", "slot", "channels", "cell_devices"});
  NetworkSpec network;
  if (auto f = map.find("topology"))
    network.topology = scenario_yaml::read_name(reader, *f, "topology", kTopologies);
  if (auto f = map.find("link"))
    network.link = scenario_yaml::read_name(reader, *f, "link", catalog.links);
  if (auto f = map.find("slot")) network.slot_s = read_positive_duration(reader, *f);
  if (auto f = map.find("channels"))
    network.channels = static_cast<int>(scenario_yaml::read_int(reader, *f, 1, kMaxChannels));
  if (auto f = map.find("cell_devices"))
    network.cell_devices = static_cast<int>(scenario_yaml::read_int(reader, *f, 1, 1000000));
  return network;
}

OutputSpec read_output(const Reader& reader, const Field& field) {
  MapReader map = MapReader::open(reader, field, "in output");
  map.allow_only({"every", "window", "max_delay", "per_device", "service_level"});
  OutputSpec output;
  if (auto f = map.find("every")) output.every_s = read_positive_duration(reader, *f);
  if (auto f = map.find("window")) output.window_s = read_positive_duration(reader, *f);
  if (auto f = map.find("max_delay")) output.max_delay_s = read_positive_duration(reader, *f);
  if (auto f = map.find("per_device"))
    output.per_device = scenario_yaml::read_choice(reader, *f, {"auto", "true", "false"});
  if (auto f = map.find("service_level"))
    output.service_level = scenario_yaml::read_real(reader, *f, 0, 1);
  return output;
}

// A task-structured stream (the `dataset` generator's classes_per_task / tasks,
// scenarios/FORMAT.md "Tasks") is its own schedule of changes.
bool has_tasks(const StreamSpec& stream) {
  const auto n = stream.params.numbers.find("classes_per_task");
  const auto t = stream.params.strings.find("tasks");
  return (n != stream.params.numbers.end() && n->second > 0) ||
         (t != stream.params.strings.end() && !t->second.empty());
}

StreamSpec read_stream(const Reader& reader, const Field& field, const SchemaCatalog& catalog,
                       const std::string& group) {
  MapReader map = MapReader::open(reader, field, "in stream of group '" + group + "'");
  map.allow_only({"generator", "params", "rate", "priors"});
  StreamSpec stream;
  stream.generator = scenario_yaml::read_name(reader, map.require("generator"), "generator",
                                              names_of(catalog.generators));
  const auto& specs = component_named(catalog.generators, stream.generator).params;
  stream.params = default_params(specs);
  if (auto f = map.find("params")) {
    MapReader params =
        MapReader::open(reader, *f, "in params of generator '" + stream.generator + "'");
    params.allow_only(scenario_yaml::param_keys(specs));
    stream.params = scenario_yaml::read_params(reader, params, specs, ParamFill::WithDefaults);
  }
  if (auto f = map.find("rate")) {
    stream.rate_hz = scenario_yaml::read_rate(reader, *f);
    scenario_yaml::require_positive(reader, *f, stream.rate_hz);
  }
  if (auto f = map.find("priors")) {
    if (has_tasks(stream))
      reader.fail_at_key(*f, f->path + ": a stream with tasks takes no class priors");
    stream.priors = scenario_yaml::read_priors(reader, *f);
  }
  return stream;
}

// Prototype CSV of labels.self: one row "label,f1,...,fd" per prototype; blank
// lines and lines starting with '#' are skipped; every row has the same width.
void read_prototype_file(const Reader& reader, const Field& field, SelfLabelSpec& self) {
  std::ifstream in(self.prototypes_file);
  if (!in) reader.fail_at_value(field, field.path + ": cannot open '" + self.prototypes_file + "'");
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const std::string where =
        field.path + ": " + self.prototypes_file + ":" + std::to_string(line_no) + ": ";
    std::vector<double> values;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) {
      const auto b = cell.find_first_not_of(" \t\r"), e = cell.find_last_not_of(" \t\r");
      cell = b == std::string::npos ? std::string() : cell.substr(b, e - b + 1);
      std::size_t used = 0;
      double v = 0;
      try {
        v = std::stod(cell, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != cell.size() || !std::isfinite(v))
        reader.fail_at_value(field, where + "'" + cell + "' is not a number");
      values.push_back(v);
    }
    if (values.size() < 2)
      reader.fail_at_value(field, where + "a row needs a label and at least one feature");
    if (values[0] < 0 || values[0] > 65535 || values[0] != std::floor(values[0]))
      reader.fail_at_value(field, where + "the label must be an integer in [0, 65535]");
    if (!self.prototypes.empty() && values.size() - 1 != self.prototypes.front().size())
      reader.fail_at_value(field, where + "has " + std::to_string(values.size() - 1) +
                                      " features, the first prototype has " +
                                      std::to_string(self.prototypes.front().size()));
    self.prototype_labels.push_back(static_cast<int>(values[0]));
    self.prototypes.emplace_back(values.begin() + 1, values.end());
  }
  if (self.prototypes.empty())
    reader.fail_at_value(field, field.path + ": '" + self.prototypes_file + "' has no prototype");
}

// labels.self.calibrate: the α_p/α_n rule of kernels.md §6 (drift/self_labelling.hpp).
void read_calibration(const Reader& reader, const Field& field, const std::string& group,
                      SelfLabelSpec& self) {
  MapReader map =
      MapReader::open(reader, field, "in labels.self.calibrate of group '" + group + "'");
  map.allow_only({"alpha_p", "alpha_n", "cap"});
  self.calibrate = true;
  if (auto f = map.find("alpha_p")) self.alpha_p = scenario_yaml::read_real(reader, *f, 0, 1);
  const auto an = map.find("alpha_n");
  if (an) self.alpha_n = scenario_yaml::read_real(reader, *an, 0, 1);
  if (self.alpha_n < self.alpha_p) {
    const Field f = an ? *an : *map.find("alpha_p");
    reader.fail_at_value(f, f.path +
                                ": alpha_n must be >= alpha_p (the negative threshold "
                                "lies beyond the positive one)");
  }
  if (auto f = map.find("cap")) self.cap = scenario_yaml::read_real(reader, *f, 0, 1e300);
}

SelfLabelSpec read_self_labelling(const Reader& reader, const Field& field,
                                  const std::string& group) {
  MapReader map = MapReader::open(reader, field, "in labels.self of group '" + group + "'");
  map.allow_only({"prototypes", "from_first_labels", "positive", "negative", "negative_class",
                  "calibrate", "l2_normalize"});
  SelfLabelSpec self;
  self.enabled = true;
  if (auto f = map.find("l2_normalize")) self.l2_normalize = scenario_yaml::read_bool(reader, *f);
  const auto file = map.find("prototypes");
  const auto first = map.find("from_first_labels");
  if (file && first)
    reader.fail_at_key(*first, first->path + ": give either 'prototypes' or 'from_first_labels'");
  if (!file && !first)
    reader.fail_at_value(
        field, field.path + ": needs 'prototypes' (a CSV file) or 'from_first_labels' (K)");
  if (file) {
    self.prototypes_file = scenario_yaml::read_nonempty_string(reader, *file);
    read_prototype_file(reader, *file, self);
  }
  if (first)
    self.from_first_labels = static_cast<int>(scenario_yaml::read_int(reader, *first, 1, 1e6));
  if (auto f = map.find("negative_class"))
    self.negative_class = static_cast<int>(scenario_yaml::read_int(reader, *f, 0, 65535));
  if (auto cal = map.find("calibrate")) {
    read_calibration(reader, *cal, group, self);
    if (!first)
      reader.fail_at_key(*cal, cal->path + ": calibration needs the shots of 'from_first_labels'");
    for (const char* key : {"positive", "negative"})
      if (auto f = map.find(key))
        reader.fail_at_key(*f, f->path + ": give either thresholds or 'calibrate'");
    return self;
  }
  const Field positive = map.require("positive", "the distance below which a sample is labelled");
  self.positive = scenario_yaml::read_real(reader, positive, 0, 1e300);
  if (auto f = map.find("negative")) {
    self.negative = scenario_yaml::read_real(reader, *f, 0, 1e300);
    if (self.negative < self.positive) reader.fail_at_value(*f, f->path + ": must be >= positive");
  }
  if ((self.negative > 0) != (self.negative_class >= 0))
    reader.fail_at_value(field, field.path + ": 'negative' and 'negative_class' go together");
  return self;
}

LabelSpec read_labels(const Reader& reader, const Field& field, const std::string& group) {
  MapReader map = MapReader::open(reader, field, "in labels of group '" + group + "'");
  map.allow_only({"fraction", "delay", "delay_jitter", "budget", "budget_window",
                  "query_uncertainty", "self"});
  LabelSpec labels;
  if (auto f = map.find("fraction")) labels.fraction = scenario_yaml::read_real(reader, *f, 0, 1);
  if (auto f = map.find("delay")) {
    labels.delay_s = scenario_yaml::read_duration(reader, *f);
    scenario_yaml::require_non_negative(reader, *f, labels.delay_s);
  }
  if (auto f = map.find("delay_jitter")) {
    labels.delay_jitter_s = scenario_yaml::read_duration(reader, *f);
    scenario_yaml::require_non_negative(reader, *f, labels.delay_jitter_s);
  }
  if (auto f = map.find("budget"))
    labels.budget = static_cast<int>(scenario_yaml::read_int(reader, *f, 1, 1e9));
  if (auto f = map.find("budget_window")) {
    if (labels.budget == 0)
      reader.fail_at_key(*f, f->path + ": a budget window needs 'budget' (labels per window)");
    labels.budget_window_s = read_positive_duration(reader, *f);
  }
  if (auto f = map.find("query_uncertainty"))
    labels.query_uncertainty = scenario_yaml::read_real(reader, *f, 0, 1);
  if (auto f = map.find("self")) labels.self = read_self_labelling(reader, *f, group);
  return labels;
}

// A map holding `kind` (one of `components`) and that component's parameters.
struct KindAndParams {
  std::string kind;
  Params params;
};

KindAndParams read_component(const Reader& reader, MapReader& map, const std::string& what,
                             const std::vector<ComponentInfo>& components,
                             std::vector<std::string> reserved) {
  KindAndParams out;
  out.kind = scenario_yaml::read_name(reader, map.require("kind"), what, names_of(components));
  const auto& specs = component_named(components, out.kind).params;
  map.set_where("in " + what + " '" + out.kind + "'");
  map.allow_only(scenario_yaml::param_keys(specs, std::move(reserved)));
  out.params = scenario_yaml::read_params(reader, map, specs, ParamFill::WithDefaults);
  return out;
}

DetectorSpec read_detector(const Reader& reader, const Field& field, const SchemaCatalog& catalog,
                           const std::string& group) {
  MapReader map = MapReader::open(reader, field, "in detector of group '" + group + "'");
  auto [kind, params] =
      read_component(reader, map, "detector", catalog.detectors, {"kind", "input"});
  DetectorSpec spec{kind, params};
  if (auto f = map.find("input")) {
    spec.input = scenario_yaml::read_choice(reader, *f, {"errors", "features", "confidence"});
    const auto it = catalog.detector_inputs.find(kind);
    const std::vector<std::string> accepted =
        it == catalog.detector_inputs.end() ? std::vector<std::string>{"errors"} : it->second;
    if (std::find(accepted.begin(), accepted.end(), spec.input) == accepted.end()) {
      std::string list;
      for (const auto& a : accepted) list += (list.empty() ? "" : ", ") + a;
      reader.fail_at_value(*f, f->path + ": detector '" + kind + "' cannot watch '" + spec.input +
                                   "' (it takes: " + list + ")");
    }
  }
  return spec;
}

// learner.pretrain (learners/pretrain.hpp): the factory data and how much of it.
PretrainSpec read_pretrain(const Reader& reader, const Field& field, const SchemaCatalog& catalog,
                           const std::string& group) {
  MapReader map = MapReader::open(reader, field, "in learner.pretrain of group '" + group + "'");
  map.allow_only({"stream", "partitions", "samples", "epochs"});
  PretrainSpec pre;
  pre.enabled = true;
  pre.stream = read_stream(reader, map.require("stream", " (the factory data: a stream map)"),
                           catalog, group);
  pre.samples = static_cast<int>(scenario_yaml::read_int(
      reader, map.require("samples", " (labelled samples the factory trains on)"), 1, 1e7));
  if (auto f = map.find("partitions"))
    pre.partitions = static_cast<int>(scenario_yaml::read_int(reader, *f, 1, 1e6));
  if (auto f = map.find("epochs"))
    pre.epochs = static_cast<int>(scenario_yaml::read_int(reader, *f, 1, 1e4));
  const auto& names = pre.stream.params.numbers;
  if (pre.partitions > 1 && !(names.count("device") && names.count("devices")))
    reader.fail_at_value(*map.find("partitions"), map.find("partitions")->path + ": generator '" +
                                                      pre.stream.generator +
                                                      "' has no split to take partitions of");
  return pre;
}

LearnerSpec read_learner(const Reader& reader, const Field& field, const SchemaCatalog& catalog,
                         const std::string& group) {
  MapReader map = MapReader::open(reader, field, "in learner of group '" + group + "'");
  auto [kind, params] =
      read_component(reader, map, "learner", catalog.learners, {"kind", "detector", "pretrain"});
  LearnerSpec learner{kind, params, {}, {}};
  if (auto f = map.find("detector")) learner.detector = read_detector(reader, *f, catalog, group);
  if (auto f = map.find("pretrain")) learner.pretrain = read_pretrain(reader, *f, catalog, group);
  return learner;
}

void read_status(const Reader& reader, const Field& field, GroupSpec& group) {
  MapReader map = MapReader::open(reader, field, "in status of group '" + group.name + "'");
  map.allow_only({"every", "bytes"});
  if (auto f = map.find("every")) group.status_every_s = read_positive_duration(reader, *f);
  if (auto f = map.find("bytes"))
    group.status_bytes = static_cast<int>(scenario_yaml::read_int(reader, *f, 1, kMaxStatusBytes));
}

// What every group is checked against besides the catalog.
struct ScenarioBounds {
  double duration_s = 0;
  std::string duration_text;
};

const std::vector<std::string> kGroupKeys = {"group",   "count",  "device",  "battery_mah",
                                             "ram_kib", "stream", "drift",   "labels",
                                             "learner", "status", "budgets", "policy"};

// Group names seen so far, with the line of their first use.
using GroupNameLines = std::map<std::string, int>;

std::string read_unique_group_name(const Reader& reader, const MapReader& map,
                                   GroupNameLines& seen) {
  const Field field = map.require("group");
  std::string name = scenario_yaml::read_nonempty_string(reader, field);
  auto [earlier, fresh] = seen.emplace(name, field.key.Mark().line + 1);
  if (!fresh)
    reader.fail_at_value(field, "duplicate group name '" + name + "' (first used at line " +
                                    std::to_string(earlier->second) + ")");
  return name;
}

GroupSpec read_group(const Reader& reader, const Field& item, const SchemaCatalog& catalog,
                     const ScenarioBounds& bounds, GroupNameLines& seen) {
  if (!item.value.IsMap())
    reader.fail_at_value(item, item.path +
                                   ": expected a group (a map starting with 'group: NAME'), got " +
                                   scenario_yaml::describe(item.value));
  MapReader map(reader, item.value, "", "in " + item.path);
  GroupSpec group;
  group.name = read_unique_group_name(reader, map, seen);
  map.set_where("in group '" + group.name + "'");
  map.allow_only(kGroupKeys);
  if (auto f = map.find("count"))
    group.count = static_cast<int>(scenario_yaml::read_int(reader, *f, 1, kMaxGroupDevices));
  group.device = scenario_yaml::read_name(reader, map.require("device"), "device", catalog.boards);
  if (auto f = map.find("battery_mah"))
    group.battery_mah = scenario_yaml::read_real(reader, *f, 1e-9, 1e9);
  if (auto f = map.find("ram_kib")) group.ram_kib = scenario_yaml::read_real(reader, *f, 1, 1e9);
  group.stream = read_stream(reader, map.require("stream"), catalog, group.name);
  if (auto f = map.find("drift")) {
    if (has_tasks(group.stream))
      reader.fail_at_key(*f, f->path +
                                 ": a stream with tasks takes no drift entries (each task "
                                 "is a change of its own)");
    const scenario_yaml::DriftBounds drift_bounds{
        group.name,
        group.count,
        &component_named(catalog.generators, group.stream.generator).params,
        group.stream.generator,
        bounds.duration_s,
        bounds.duration_text};
    group.drifts = scenario_yaml::read_drifts(reader, *f, drift_bounds);
  }
  if (auto f = map.find("labels")) group.labels = read_labels(reader, *f, group.name);
  group.learner = read_learner(reader, map.require("learner"), catalog, group.name);
  if (auto f = map.find("status")) read_status(reader, *f, group);
  if (auto f = map.find("budgets"))
    group.budgets =
        scenario_yaml::read_budgets(reader, *f, group.name, group.count, bounds.duration_s);
  if (auto f = map.find("policy"))
    group.policy = scenario_yaml::read_policy(reader, *f, group.name);
  return group;
}

std::vector<GroupSpec> read_fleet(const Reader& reader, const Field& field,
                                  const SchemaCatalog& catalog, const ScenarioBounds& bounds) {
  if (field.value.IsMap())
    reader.fail_at_value(field, field.path +
                                    ": expected a list of groups, got a map "
                                    "(start each group with '- group: NAME')");
  const std::vector<Field> items = scenario_yaml::list_items(reader, field, "groups");
  if (items.empty()) reader.fail_at_value(field, field.path + ": must list at least one group");
  std::vector<GroupSpec> groups;
  GroupNameLines seen;
  for (const Field& item : items) groups.push_back(read_group(reader, item, catalog, bounds, seen));
  return groups;
}

const std::vector<std::string> kTopKeys = {
    "name",  "seed",       "duration",       "network",       "output",
    "fleet", "federation", "fleet_detector", "interventions", "taxonomy"};

Scenario read_scenario(const Reader& reader, const YAML::Node& root, const SchemaCatalog& catalog) {
  MapReader top(reader, root, "", "in scenario");
  top.allow_only(kTopKeys);
  Scenario scenario;
  scenario.file = reader.file();
  scenario.name = scenario_yaml::read_nonempty_string(reader, top.require("name"));
  if (auto f = top.find("seed")) scenario.seed = scenario_yaml::read_uint64(reader, *f);
  const Field duration = top.require("duration");
  scenario.duration_s = read_positive_duration(reader, duration);
  if (auto f = top.find("network")) scenario.network = read_network(reader, *f, catalog);
  if (auto f = top.find("output")) scenario.output = read_output(reader, *f);
  const ScenarioBounds bounds{scenario.duration_s, duration.value.Scalar()};
  scenario.groups = read_fleet(reader, top.require("fleet"), catalog, bounds);
  if (auto f = top.find("federation"))
    scenario.federation = scenario_yaml::read_federation(reader, *f, scenario.groups, catalog);
  if (auto f = top.find("fleet_detector"))
    scenario.fleet_detector = scenario_yaml::read_fleet_detector(reader, *f);
  if (scenario.fleet_detector.action == "round" && !scenario.federation.enabled)
    reader.fail_at_key(*top.find("fleet_detector"),
                       "fleet_detector.action: 'round' needs a 'federation' section");
  if (auto f = top.find("interventions"))
    scenario.interventions =
        scenario_yaml::read_interventions(reader, *f, scenario.groups, scenario.duration_s);
  if (auto f = top.find("taxonomy")) scenario.taxonomy = scenario_yaml::read_taxonomy(reader, *f);
  return scenario;
}

YAML::Node parse_yaml(const Reader& reader, const std::string& yaml_text) {
  try {
    return YAML::Load(yaml_text);
  } catch (const YAML::Exception& bad) {
    reader.fail_at(bad.mark, "invalid YAML: " + bad.msg);
  }
}

}  // namespace

ScenarioError::ScenarioError(std::string file_, int line_, int column_, std::string message_)
    : std::runtime_error(error_text(file_, line_, column_, message_)),
      file(std::move(file_)),
      line(line_),
      column(column_),
      message(std::move(message_)) {}

Scenario parse_scenario(const std::string& yaml_text, const std::string& file,
                        const SchemaCatalog& catalog) {
  const Reader reader(file);
  const YAML::Node root = parse_yaml(reader, yaml_text);
  if (root.IsNull())
    reader.fail_at(YAML::Mark(),
                   "the scenario is empty; it needs at least 'name', 'duration' "
                   "and 'fleet'");
  if (!root.IsMap())
    reader.fail_at(root, "expected a map of scenario keys (name, duration, fleet, ...), got " +
                             scenario_yaml::describe(root));
  return read_scenario(reader, root, catalog);
}

Scenario load_scenario_file(const std::string& path, const SchemaCatalog& catalog) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path, 0, 0, "cannot open the scenario file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_scenario(text.str(), path, catalog);
}

}  // namespace tinyfleet
