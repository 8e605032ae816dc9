#include "scenarios/lifecycle_reader.hpp"

#include <algorithm>
#include <map>

#include "scenarios/drift_reader.hpp"
#include "scenarios/units.hpp"

namespace tinyfleet::scenario_yaml {
namespace {

const std::vector<std::string> kBudgetValueKeys = {"energy_j", "ram_kib", "duty_cycle", "deadline"};

double read_time_in_run(const Reader& reader, const Field& field, double duration_s) {
  const double at = read_duration(reader, field);
  require_non_negative(reader, field, at);
  if (at > duration_s)
    reader.fail_at_value(field, field.path + ": " + field.value.Scalar() +
                                    " is beyond the scenario duration (" +
                                    format_number(duration_s) + " s)");
  return at;
}

// The budget values present in `map` (the others stay negative: unchanged).
BudgetStep read_budget_values(const Reader& reader, const MapReader& map) {
  BudgetStep step;
  if (auto f = map.find("energy_j")) step.energy_j = read_real(reader, *f, 0, 1e12);
  if (auto f = map.find("ram_kib")) step.ram_kib = read_real(reader, *f, 0, 1e9);
  if (auto f = map.find("duty_cycle")) step.duty_cycle = read_real(reader, *f, 0, 1);
  if (auto f = map.find("deadline")) {
    step.deadline_s = read_duration(reader, *f);
    require_non_negative(reader, *f, step.deadline_s);
  }
  return step;
}

DriftBounds group_bounds(const std::string& group, int count) {
  DriftBounds bounds;
  bounds.group = group;
  bounds.device_count = count;
  return bounds;
}

bool sets_any(const BudgetStep& s) {
  return s.energy_j >= 0 || s.ram_kib >= 0 || s.duty_cycle >= 0 || s.deadline_s >= 0;
}

std::vector<RadioOutage> read_outages(const Reader& reader, const Field& field,
                                      const std::string& group, int count, double duration_s) {
  std::vector<RadioOutage> outages;
  for (const Field& item : list_items(reader, field, "radio outages")) {
    if (!item.value.IsMap())
      reader.fail_at_value(item, item.path + ": expected a map like {at: 2h, for: 30m}, got " +
                                     describe(item.value));
    MapReader map(reader, item.value, item.path + ".",
                  "in " + item.path + " of group '" + group + "'");
    map.allow_only({"at", "for", "devices"});
    RadioOutage o;
    o.devices = read_devices(reader, map, group_bounds(group, count));
    o.at_s = read_time_in_run(reader, map.require("at"), duration_s);
    const Field length = map.require("for", " (how long the link is down)");
    o.for_s = read_duration(reader, length);
    require_positive(reader, length, o.for_s);
    outages.push_back(o);
  }
  std::stable_sort(outages.begin(), outages.end(),
                   [](const RadioOutage& a, const RadioOutage& b) { return a.at_s < b.at_s; });
  for (std::size_t i = 1; i < outages.size(); ++i)
    if (outages[i].at_s < outages[i - 1].at_s + outages[i - 1].for_s)
      reader.fail_at_value(field, field.path + ": outages of group '" + group + "' overlap (at " +
                                      format_number(outages[i].at_s) + " s)");
  return outages;
}

std::vector<BudgetStep> read_steps(const Reader& reader, const Field& field,
                                   const std::string& group, int count, double duration_s) {
  std::vector<BudgetStep> steps;
  for (const Field& item : list_items(reader, field, "budget steps")) {
    if (!item.value.IsMap())
      reader.fail_at_value(item, item.path + ": expected a map like {at: 3h, ram_kib: 24}, got " +
                                     describe(item.value));
    MapReader map(reader, item.value, item.path + ".",
                  "in " + item.path + " of group '" + group + "'");
    std::vector<std::string> keys = kBudgetValueKeys;
    keys.insert(keys.begin(), "at");
    keys.push_back("devices");
    map.allow_only(keys);
    const double at = read_time_in_run(reader, map.require("at"), duration_s);
    BudgetStep step = read_budget_values(reader, map);
    step.at_s = at;
    step.devices = read_devices(reader, map, group_bounds(group, count));
    if (!sets_any(step))
      reader.fail_at_value(item, item.path +
                                     ": a step must set at least one of energy_j, "
                                     "ram_kib, duty_cycle, deadline");
    steps.push_back(step);
  }
  std::stable_sort(steps.begin(), steps.end(),
                   [](const BudgetStep& a, const BudgetStep& b) { return a.at_s < b.at_s; });
  return steps;
}

InterventionSpec::Kind read_intervention_kind(const Reader& reader, const Field& field) {
  const std::string kind = read_name(reader, field, "intervention kind",
                                     {"model_push", "reset", "label_burst", "budget"});
  if (kind == "reset") return InterventionSpec::Kind::Reset;
  if (kind == "label_burst") return InterventionSpec::Kind::LabelBurst;
  if (kind == "budget") return InterventionSpec::Kind::Budget;
  return InterventionSpec::Kind::ModelPush;
}

// The keys each kind takes beyond at, kind, groups and devices.
std::vector<std::string> kind_keys(InterventionSpec::Kind kind) {
  switch (kind) {
    case InterventionSpec::Kind::ModelPush:
      return {"samples"};
    case InterventionSpec::Kind::LabelBurst:
      return {"count"};
    case InterventionSpec::Kind::Budget:
      return kBudgetValueKeys;
    case InterventionSpec::Kind::Reset:
      return {};
  }
  return {};
}

std::vector<std::string> read_target_groups(const Reader& reader, const Field& field,
                                            const std::vector<GroupSpec>& groups) {
  std::vector<std::string> names;
  for (const auto& g : groups) names.push_back(g.name);
  std::vector<Field> items;
  if (field.value.IsScalar()) {
    items.push_back(field);
  } else {
    items = list_items(reader, field, "group names");
    if (items.empty()) reader.fail_at_value(field, field.path + ": names no group");
  }
  std::vector<std::string> out;
  for (const Field& item : items) {
    std::string name = read_name(reader, item, "group", names);
    if (std::find(out.begin(), out.end(), name) != out.end())
      reader.fail_at_value(item, item.path + ": group '" + name + "' is listed twice");
    out.push_back(std::move(name));
  }
  return out;
}

InterventionSpec read_intervention(const Reader& reader, const Field& item,
                                   const std::vector<GroupSpec>& groups, double duration_s) {
  if (!item.value.IsMap())
    reader.fail_at_value(item, item.path +
                                   ": expected a map like {at: 4h, kind: model_push}, got " +
                                   describe(item.value));
  MapReader map(reader, item.value, item.path + ".", "in " + item.path);
  InterventionSpec spec;
  spec.kind = read_intervention_kind(reader, map.require("kind"));
  std::vector<std::string> keys = {"at", "kind", "groups", "devices"};
  for (auto& k : kind_keys(spec.kind)) keys.push_back(k);
  map.set_where("in " + item.path + " (kind '" + map.require("kind").value.Scalar() + "')");
  map.allow_only(keys);
  spec.at_s = read_time_in_run(reader, map.require("at"), duration_s);
  if (auto f = map.find("groups")) spec.groups = read_target_groups(reader, *f, groups);
  // Device indices must fit the smallest target group.
  DriftBounds bounds;
  bounds.group = spec.groups.empty() ? "every group" : spec.groups.front();
  bounds.device_count = 1 << 30;
  for (const auto& g : groups)
    if (spec.groups.empty() ||
        std::find(spec.groups.begin(), spec.groups.end(), g.name) != spec.groups.end())
      if (g.count < bounds.device_count) {
        bounds.device_count = g.count;
        bounds.group = g.name;
      }
  spec.devices = read_devices(reader, map, bounds);
  switch (spec.kind) {
    case InterventionSpec::Kind::ModelPush:
      if (auto f = map.find("samples"))
        spec.samples = static_cast<int>(read_int(reader, *f, 1, 1e6));
      break;
    case InterventionSpec::Kind::LabelBurst:
      if (auto f = map.find("count")) spec.count = static_cast<int>(read_int(reader, *f, 1, 1e9));
      break;
    case InterventionSpec::Kind::Budget:
      spec.budget = read_budget_values(reader, map);
      spec.budget.at_s = spec.at_s;
      if (!sets_any(spec.budget))
        reader.fail_at_value(item, item.path +
                                       ": a budget change must set at least one of "
                                       "energy_j, ram_kib, duty_cycle, deadline");
      for (const auto& g : groups)
        if ((spec.groups.empty() ||
             std::find(spec.groups.begin(), spec.groups.end(), g.name) != spec.groups.end()) &&
            !g.budgets.enabled)
          reader.fail_at_value(item,
                               item.path + ": group '" + g.name +
                                   "' has no 'budgets' section for a budget change to act on");
      break;
    case InterventionSpec::Kind::Reset:
      break;
  }
  return spec;
}

// taxonomy.md §1: each tag and its values; an empty list takes any non-empty text.
const std::vector<std::pair<std::string, std::vector<std::string>>>& taxonomy_tags() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> tags = {
      {"regime", {"single_change", "concept_drift", "continual"}},
      {"change_kind", {"virtual", "real", "prior", "new_classes"}},
      {"profile", {"one_off", "abrupt", "gradual", "incremental", "recurring"}},
      {"supervision", {"full", "delayed", "sparse", "few_shot", "active", "self", "none"}},
      {"update_target",
       {"none", "bias", "head", "sparse", "full", "knn_memory", "prototypes", "replay"}},
      {"numeric", {"fp32", "int8", "int_only", "binary"}},
      {"trigger", {"always", "on_detection", "periodic", "user"}},
      {"hw_class", {}},
      {"ram_budget", {}},
      {"scope", {"device", "federated"}},
      {"data_origin", {"synthetic", "real"}},
  };
  return tags;
}

}  // namespace

BudgetSpec read_budgets(const Reader& reader, const Field& field, const std::string& group,
                        int count, double duration_s) {
  MapReader map = MapReader::open(reader, field, "in budgets of group '" + group + "'");
  std::vector<std::string> keys = {"window", "outages", "steps"};
  keys.insert(keys.end(), kBudgetValueKeys.begin(), kBudgetValueKeys.end());
  map.allow_only(keys);
  BudgetSpec spec;
  spec.enabled = true;
  if (auto f = map.find("window")) {
    spec.window_s = read_duration(reader, *f);
    require_positive(reader, *f, spec.window_s);
  }
  BudgetStep base = read_budget_values(reader, map);
  // Values not given at t = 0 mean "no limit".
  for (double* v : {&base.energy_j, &base.ram_kib, &base.duty_cycle, &base.deadline_s})
    if (*v < 0) *v = 0;
  spec.steps.push_back(base);
  if (auto f = map.find("steps")) {
    auto steps = read_steps(reader, *f, group, count, duration_s);
    spec.steps.insert(spec.steps.end(), steps.begin(), steps.end());
  }
  if (auto f = map.find("outages"))
    spec.outages = read_outages(reader, *f, group, count, duration_s);
  return spec;
}

PolicySpec read_policy(const Reader& reader, const Field& field, const std::string& group) {
  MapReader map = MapReader::open(reader, field, "in policy of group '" + group + "'");
  PolicySpec p;
  p.kind = read_name(reader, map.require("kind"), "policy", {"fixed", "rules"});
  if (p.kind == "fixed") {
    map.allow_only({"kind"});
    return p;
  }
  map.set_where("in policy 'rules' of group '" + group + "'");
  map.allow_only({"kind", "every", "ram_high", "ram_low", "energy_high", "energy_low",
                  "accuracy_drop", "battery_low", "max_update_every", "min_kb_fraction"});
  if (auto f = map.find("every")) {
    p.every_s = read_duration(reader, *f);
    require_positive(reader, *f, p.every_s);
  }
  if (auto f = map.find("ram_high")) p.ram_high = read_real(reader, *f, 0.01, 1);
  if (auto f = map.find("ram_low")) p.ram_low = read_real(reader, *f, 0, 1);
  if (p.ram_low >= p.ram_high)
    reader.fail_at_value(field, field.path + ": ram_low must be below ram_high");
  if (auto f = map.find("energy_high")) p.energy_high = read_real(reader, *f, 0.01, 10);
  if (auto f = map.find("energy_low")) p.energy_low = read_real(reader, *f, 0, 10);
  if (p.energy_low >= p.energy_high)
    reader.fail_at_value(field, field.path + ": energy_low must be below energy_high");
  if (auto f = map.find("accuracy_drop")) p.accuracy_drop = read_real(reader, *f, 0.001, 1);
  if (auto f = map.find("battery_low")) p.battery_low = read_real(reader, *f, 0, 1);
  if (auto f = map.find("max_update_every"))
    p.max_update_every = static_cast<int>(read_int(reader, *f, 1, 1000));
  if (auto f = map.find("min_kb_fraction")) p.min_kb_fraction = read_real(reader, *f, 0.001, 1);
  return p;
}

std::vector<InterventionSpec> read_interventions(const Reader& reader, const Field& field,
                                                 const std::vector<GroupSpec>& groups,
                                                 double duration_s) {
  std::vector<InterventionSpec> out;
  for (const Field& item : list_items(reader, field, "interventions"))
    out.push_back(read_intervention(reader, item, groups, duration_s));
  std::stable_sort(
      out.begin(), out.end(),
      [](const InterventionSpec& a, const InterventionSpec& b) { return a.at_s < b.at_s; });
  return out;
}

TaxonomySpec read_taxonomy(const Reader& reader, const Field& field) {
  MapReader map = MapReader::open(reader, field, "in taxonomy");
  std::vector<std::string> keys;
  for (const auto& [tag, values] : taxonomy_tags()) keys.push_back(tag);
  map.allow_only(keys);
  TaxonomySpec spec;
  for (const auto& [tag, values] : taxonomy_tags()) {
    auto f = map.find(tag);
    if (!f) continue;
    spec.tags.emplace_back(
        tag, values.empty() ? read_nonempty_string(reader, *f) : read_choice(reader, *f, values));
  }
  return spec;
}

}  // namespace tinyfleet::scenario_yaml
