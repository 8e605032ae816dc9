#include "scenarios/drift_reader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "scenarios/param_reader.hpp"
#include "scenarios/units.hpp"

namespace tinyfleet::scenario_yaml {
namespace {

const std::vector<std::string> kDriftKeys = {"at",     "kind",   "width", "steps",  "period",
                                             "repeat", "jitter", "to",    "priors", "devices"};

DriftSpec::Kind read_kind(const Reader& reader, const MapReader& entry) {
  auto field = entry.find("kind");
  if (!field) return DriftSpec::Kind::Abrupt;
  const std::string kind =
      read_name(reader, *field, "drift kind", {"abrupt", "gradual", "incremental", "recurring"});
  if (kind == "gradual") return DriftSpec::Kind::Gradual;
  if (kind == "incremental") return DriftSpec::Kind::Incremental;
  if (kind == "recurring") return DriftSpec::Kind::Recurring;
  return DriftSpec::Kind::Abrupt;
}

// Keys that only some kinds take: an error names the kind that would accept it.
void forbid(const Reader& reader, const MapReader& entry, const char* key, const char* kinds) {
  if (auto field = entry.find(key))
    reader.fail_at_key(*field, field->path + ": only " + kinds + " drift takes '" + key + "'");
}

double read_at(const Reader& reader, const MapReader& entry, const DriftBounds& bounds) {
  const Field field = entry.require("at");
  const double at = read_duration(reader, field);
  require_non_negative(reader, field, at);
  if (at > bounds.duration_s)
    reader.fail_at_value(field, field.path + ": " + field.value.Scalar() +
                                    " is beyond the scenario duration (" + bounds.duration_text +
                                    ")");
  return at;
}

double read_positive(const Reader& reader, const Field& field) {
  const double v = read_duration(reader, field);
  require_positive(reader, field, v);
  return v;
}

double read_width(const Reader& reader, const MapReader& entry, DriftSpec::Kind kind) {
  switch (kind) {
    case DriftSpec::Kind::Abrupt:
      if (auto field = entry.find("width"))
        reader.fail_at_key(*field, field->path +
                                       ": only a gradual, incremental or recurring drift has a "
                                       "width (add 'kind: gradual' or remove 'width')");
      return 0;
    case DriftSpec::Kind::Gradual:
      return read_positive(reader, entry.require("width", " (a gradual drift needs one)"));
    case DriftSpec::Kind::Incremental:
      return read_positive(reader, entry.require("width", " (the length of the ramp)"));
    case DriftSpec::Kind::Recurring:
      if (auto field = entry.find("width")) return read_positive(reader, *field);
      return 0;
  }
  return 0;
}

// Recurring drift: period, and the number of switches (default: as many as fit).
void read_recurrence(const Reader& reader, const MapReader& entry, const DriftBounds& bounds,
                     DriftSpec& drift) {
  drift.period_s = read_positive(reader, entry.require("period", " (time between switches)"));
  if (auto field = entry.find("repeat")) {
    drift.repeat = static_cast<int>(read_int(reader, *field, 1, 100000));
  } else {
    drift.repeat = 1 + static_cast<int>((bounds.duration_s - drift.at_s) / drift.period_s);
  }
}

Params read_new_concept(const Reader& reader, const MapReader& entry, const DriftBounds& bounds,
                        bool priors_given) {
  if (priors_given && !entry.find("to")) return Params{};  // a prior drift only
  const Field field = entry.require("to", " (the generator parameters that change, or 'priors')");
  MapReader to = MapReader::open(reader, field,
                                 "in " + field.path + " of group '" + bounds.group +
                                     "' (generator '" + bounds.generator + "')");
  to.allow_only(param_keys(*bounds.generator_params));
  if (to.fields().empty())
    reader.fail_at_value(field, field.path + ": must change at least one parameter of generator '" +
                                    bounds.generator + "'");
  return read_params(reader, to, *bounds.generator_params, ParamFill::OnlyGiven);
}

DeviceSelector read_percentage(const Reader& reader, const Field& field) {
  const std::string text = field.value.Scalar();
  auto percent = parse_number(std::string_view(text).substr(0, text.size() - 1));
  if (!percent)
    reader.fail_at_value(field,
                         field.path + ": expected a percentage like '40%', got '" + text + "'");
  if (*percent <= 0 || *percent > 100)
    reader.fail_at_value(field, field.path + ": " + text + " is out of range (0%, 100%]");
  DeviceSelector selector;
  selector.kind = DeviceSelector::Kind::Fraction;
  selector.fraction = *percent / 100.0;
  return selector;
}

DeviceSelector read_index_list(const Reader& reader, const Field& field,
                               const DriftBounds& bounds) {
  DeviceSelector selector;
  selector.kind = DeviceSelector::Kind::List;
  std::set<long long> seen;
  for (const Field& item : list_items(reader, field, "device indices")) {
    const long long index = read_int(reader, item, std::numeric_limits<double>::lowest(),
                                     std::numeric_limits<double>::max());
    if (index < 0 || index >= bounds.device_count)
      reader.fail_at_value(
          item, item.path + ": device index " + std::to_string(index) + " is out of range [0, " +
                    std::to_string(bounds.device_count - 1) + "] (group '" + bounds.group +
                    "' has " + std::to_string(bounds.device_count) + " devices)");
    if (!seen.insert(index).second)
      reader.fail_at_value(
          item, item.path + ": device index " + std::to_string(index) + " is listed twice");
    selector.indices.push_back(static_cast<int>(index));
  }
  if (selector.indices.empty())
    reader.fail_at_value(field, field.path +
                                    ": the list selects no device (use 'all', a "
                                    "percentage like '40%' or indices like [0, 3])");
  return selector;
}

}  // namespace

DeviceSelector read_devices(const Reader& reader, const MapReader& entry,
                            const DriftBounds& bounds) {
  auto field = entry.find("devices");
  if (!field) return DeviceSelector{};
  if (field->value.IsSequence()) return read_index_list(reader, *field, bounds);
  const std::string text = field->value.IsScalar() ? field->value.Scalar() : "";
  if (text == "all") return DeviceSelector{};
  if (!text.empty() && text.back() == '%') return read_percentage(reader, *field);
  reader.fail_at_value(*field, field->path +
                                   ": expected 'all', a percentage like '40%' or a list of "
                                   "device indices, got " +
                                   describe(field->value));
}

namespace {

DriftSpec read_drift(const Reader& reader, const Field& item, const DriftBounds& bounds) {
  const std::string where = item.path + " of group '" + bounds.group + "'";
  if (!item.value.IsMap())
    reader.fail_at_value(
        item, item.path + ": expected a map like {at: 1h, to: {...}}, got " + describe(item.value));
  MapReader entry(reader, item.value, item.path + ".", "in " + where);
  entry.allow_only(kDriftKeys);
  DriftSpec drift;
  drift.kind = read_kind(reader, entry);
  drift.at_s = read_at(reader, entry, bounds);
  drift.width_s = read_width(reader, entry, drift.kind);
  if (drift.kind == DriftSpec::Kind::Incremental) {
    if (auto field = entry.find("steps"))
      drift.steps = static_cast<int>(read_int(reader, *field, 1, 10000));
  } else {
    forbid(reader, entry, "steps", "an incremental");
  }
  if (drift.kind == DriftSpec::Kind::Recurring) {
    read_recurrence(reader, entry, bounds, drift);
  } else {
    forbid(reader, entry, "period", "a recurring");
    forbid(reader, entry, "repeat", "a recurring");
  }
  if (auto field = entry.find("jitter")) {
    drift.jitter_s = read_duration(reader, *field);
    require_non_negative(reader, *field, drift.jitter_s);
  }
  if (auto field = entry.find("priors")) drift.priors = read_priors(reader, *field);
  drift.to = read_new_concept(reader, entry, bounds, !drift.priors.empty());
  drift.devices = read_devices(reader, entry, bounds);
  return drift;
}

}  // namespace

std::vector<double> read_priors(const Reader& reader, const Field& field) {
  std::vector<double> priors;
  for (const Field& item : list_items(reader, field, "class priors"))
    priors.push_back(read_real(reader, item, 0, 1));
  if (priors.size() < 2)
    reader.fail_at_value(field, field.path + ": give one prior per class (at least two)");
  double sum = 0;
  for (double p : priors) sum += p;
  if (std::abs(sum - 1.0) > 1e-6)
    reader.fail_at_value(
        field, field.path + ": class priors must sum to 1, they sum to " + format_number(sum));
  return priors;
}

std::vector<DriftSpec> read_drifts(const Reader& reader, const Field& field,
                                   const DriftBounds& bounds) {
  std::vector<DriftSpec> drifts;
  for (const Field& item : list_items(reader, field, "drift entries"))
    drifts.push_back(read_drift(reader, item, bounds));
  std::stable_sort(drifts.begin(), drifts.end(),
                   [](const DriftSpec& a, const DriftSpec& b) { return a.at_s < b.at_s; });
  return drifts;
}

}  // namespace tinyfleet::scenario_yaml
