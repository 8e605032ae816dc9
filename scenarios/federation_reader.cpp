#include "scenarios/federation_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "scenarios/param_reader.hpp"

namespace tinyfleet::scenario_yaml {
namespace {

double read_duration_at_least(const Reader& reader, const Field& field, bool positive) {
  const double s = read_duration(reader, field);
  if (positive)
    require_positive(reader, field, s);
  else
    require_non_negative(reader, field, s);
  return s;
}

// A relative trace path is looked up next to the scenario file first, then
// from the working directory.
std::string resolve_beside(const std::string& scenario_file, const std::string& path) {
  namespace fs = std::filesystem;
  if (fs::path(path).is_absolute()) return path;
  const fs::path beside = fs::path(scenario_file).parent_path() / path;
  std::error_code ec;
  return fs::exists(beside, ec) ? beside.string() : path;
}

AvailabilityTrace read_trace_file(const Reader& reader, const Field& field, const std::string& path,
                                  const std::vector<GroupSpec>& groups) {
  std::ifstream in(path, std::ios::binary);
  if (!in) reader.fail_at_value(field, field.path + ": cannot open '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> names;  // fleet ids in group order, as sim/fleet.cpp numbers them
  for (const auto& g : groups)
    for (int i = 0; i < g.count; ++i) names.push_back(g.name + "/" + std::to_string(i));
  try {
    return parse_availability_trace(text.str(), names);
  } catch (const std::invalid_argument& e) {
    reader.fail_at_value(field, field.path + ": " + path + ": " + e.what());
  }
}

AvailabilitySpec read_availability(const Reader& reader, const Field& field,
                                   const std::vector<GroupSpec>& groups) {
  MapReader map = MapReader::open(reader, field, "in federation.availability");
  map.allow_only({"probability", "duty_cycle", "trace"});
  AvailabilitySpec a;
  const auto p = map.find("probability");
  const auto d = map.find("duty_cycle");
  const auto t = map.find("trace");
  if ((p && d) || (p && t) || (d && t))
    reader.fail_at_key(field, field.path + ": give one of 'probability', 'duty_cycle', 'trace'");
  if (p) {
    a.kind = "probability";
    a.probability = read_real(reader, *p, 0, 1);
  }
  if (d) {
    a.kind = "duty_cycle";
    MapReader cycle = MapReader::open(reader, *d, "in federation.availability.duty_cycle");
    cycle.allow_only({"period", "on"});
    const Field period = cycle.require("period"), on = cycle.require("on");
    a.period_s = read_duration_at_least(reader, period, true);
    a.on_s = read_duration_at_least(reader, on, true);
    if (a.on_s > a.period_s)
      reader.fail_at_value(on, on.path + ": the 'on' time is longer than the period");
  }
  if (t) {
    a.kind = "trace";
    a.trace_file = resolve_beside(reader.file(), read_nonempty_string(reader, *t));
    a.trace = read_trace_file(reader, *t, a.trace_file, groups);
  }
  return a;
}

const GroupSpec* group_named(const std::vector<GroupSpec>& groups, const std::string& name) {
  for (const auto& g : groups)
    if (g.name == name) return &g;
  return nullptr;
}

bool is_federable(const GroupSpec& g) {
  const auto& kinds = federable_learners();
  return std::find(kinds.begin(), kinds.end(), g.learner.kind) != kinds.end();
}

}  // namespace

const std::vector<std::string>& federable_learners() {
  static const std::vector<std::string> kinds = {"tifed", "mlp"};
  return kinds;
}

FederationSpec read_federation(const Reader& reader, const Field& field,
                               const std::vector<GroupSpec>& groups, const SchemaCatalog& catalog) {
  MapReader map = MapReader::open(reader, field, "in federation");
  map.allow_only({"groups", "mode", "participation", "every", "start", "after_samples",
                  "on_fleet_alarm", "rounds", "epochs", "deadline", "loss", "max_retries",
                  "header_bytes", "local_learning", "clear_buffer", "availability", "evaluate",
                  "aggregation"});
  FederationSpec f;
  f.enabled = true;
  std::vector<std::string> names;
  for (const auto& g : groups) names.push_back(g.name);
  if (auto g = map.find("groups")) {
    for (const Field& item : list_items(reader, *g, "groups")) {
      const std::string name = read_name(reader, item, "group", names);
      if (!is_federable(*group_named(groups, name)))
        reader.fail_at_value(item, item.path + ": group '" + name + "' runs learner '" +
                                       group_named(groups, name)->learner.kind +
                                       "', which cannot be federated (federable: tifed, mlp)");
      f.groups.push_back(name);
    }
  } else {
    for (const auto& g : groups)
      if (is_federable(g)) f.groups.push_back(g.name);
    if (f.groups.empty())
      reader.fail_at_key(field, field.path +
                                    ": no group runs a federable learner (tifed, mlp); nothing "
                                    "to federate");
  }
  // One global model: a float MLP and an integer TIFeD network cannot be averaged together.
  for (const auto& name : f.groups)
    if (group_named(groups, name)->learner.kind != group_named(groups, f.groups[0])->learner.kind)
      reader.fail_at_key(field, field.path + ": federated groups '" + f.groups[0] + "' and '" +
                                    name + "' run different learners (" +
                                    group_named(groups, f.groups[0])->learner.kind + ", " +
                                    group_named(groups, name)->learner.kind +
                                    "); one federation averages one model");
  if (auto v = map.find("mode")) f.mode = read_choice(reader, *v, {"full", "single_layer"});
  if (auto v = map.find("aggregation"))
    f.aggregation = read_choice(reader, *v, {"mean", "sequential"});
  if (auto v = map.find("participation")) {
    f.participation = read_real(reader, *v, 0, 1);
    require_positive(reader, *v, f.participation);
  }
  if (auto v = map.find("every")) f.every_s = read_duration_at_least(reader, *v, true);
  if (auto v = map.find("start")) f.start_s = read_duration_at_least(reader, *v, false);
  if (auto v = map.find("after_samples"))
    f.after_samples = static_cast<int>(read_int(reader, *v, 1, 100000000));
  if (auto v = map.find("on_fleet_alarm")) f.on_fleet_alarm = read_bool(reader, *v);
  if (auto v = map.find("rounds")) f.rounds = static_cast<int>(read_int(reader, *v, 1, 100000));
  if (auto v = map.find("epochs")) f.epochs = static_cast<int>(read_int(reader, *v, 1, 1000));
  if (auto v = map.find("deadline")) f.deadline_s = read_duration_at_least(reader, *v, true);
  if (auto v = map.find("loss")) {
    f.loss = read_real(reader, *v, 0, 1);
    if (f.loss >= 1) reader.fail_at_value(*v, v->path + ": a loss rate of 1 loses every message");
  }
  if (auto v = map.find("max_retries"))
    f.max_retries = static_cast<int>(read_int(reader, *v, 0, 100));
  if (auto v = map.find("header_bytes"))
    f.header_bytes = static_cast<int>(read_int(reader, *v, 0, 65535));
  if (auto v = map.find("local_learning")) f.local_learning = read_bool(reader, *v);
  if (auto v = map.find("clear_buffer")) f.clear_buffer = read_bool(reader, *v);
  if (auto v = map.find("availability")) f.availability = read_availability(reader, *v, groups);
  if (auto v = map.find("evaluate")) {
    MapReader eval = MapReader::open(reader, *v, "in federation.evaluate");
    eval.allow_only({"samples", "params"});
    f.evaluate_samples = static_cast<int>(read_int(reader, eval.require("samples"), 1, 10000000));
    if (auto p = eval.find("params")) {
      const GroupSpec& first = *group_named(groups, f.groups.front());
      const auto& gen =
          *std::find_if(catalog.generators.begin(), catalog.generators.end(),
                        [&](const ComponentInfo& c) { return c.name == first.stream.generator; });
      MapReader params = MapReader::open(
          reader, *p, "in federation.evaluate.params of generator '" + gen.name + "'");
      params.allow_only(param_keys(gen.params));
      f.evaluate_params = read_params(reader, params, gen.params, ParamFill::OnlyGiven);
    }
  }
  if (f.every_s == 0 && f.after_samples == 0 && !f.on_fleet_alarm)
    reader.fail_at_key(field, field.path +
                                  ": no session would ever start; give 'every', "
                                  "'after_samples' or 'on_fleet_alarm: true'");
  return f;
}

FleetDetectorSpec read_fleet_detector(const Reader& reader, const Field& field) {
  MapReader map = MapReader::open(reader, field, "in fleet_detector");
  map.allow_only({"quorum", "count", "window", "per_group", "action", "alarm_bytes", "send"});
  FleetDetectorSpec d;
  d.enabled = true;
  const auto quorum = map.find("quorum");
  const auto count = map.find("count");
  if (!quorum && !count)
    reader.fail_at_key(field, field.path + ": needs 'quorum' (a fraction) or 'count' (devices)");
  if (quorum) {
    d.quorum_fraction = read_real(reader, *quorum, 0, 1);
    require_positive(reader, *quorum, d.quorum_fraction);
  }
  if (count) d.quorum_count = static_cast<int>(read_int(reader, *count, 1, 10000000));
  if (auto v = map.find("window")) d.window_s = read_duration_at_least(reader, *v, true);
  if (auto v = map.find("per_group")) d.per_group = read_bool(reader, *v);
  if (auto v = map.find("action")) d.action = read_choice(reader, *v, {"log", "round", "reset"});
  if (auto v = map.find("alarm_bytes"))
    d.alarm_bytes = static_cast<int>(read_int(reader, *v, 1, 65535));
  if (auto v = map.find("send")) d.send = read_choice(reader, *v, {"piggyback", "immediate"});
  return d;
}

}  // namespace tinyfleet::scenario_yaml
