#include "analysis/summary.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/budget_compliance.hpp"
#include "analysis/fleet_summary.hpp"
#include "analysis/lifecycle_json.hpp"
#include "analysis/metrics_json.hpp"

namespace tinyfleet {
namespace {

using nlohmann::ordered_json;

ordered_json params_json(const Params& p) {
  ordered_json j = ordered_json::object();
  for (const auto& [k, v] : p.numbers) j[k] = v;
  for (const auto& [k, v] : p.strings) j[k] = v;
  return j;
}

// The accuracy window of a group, in samples (sim/device.cpp's evaluator).
uint64_t window_samples(const Scenario& sc, std::size_t group) {
  return static_cast<uint64_t>(
      std::max(1.0, std::round(sc.output.window_s * sc.groups[group].stream.rate_hz)));
}

std::optional<double> in_days(std::optional<double> seconds) {
  if (seconds) *seconds /= 86400.0;
  return seconds;
}

}  // namespace

std::optional<double> projected_lifetime_s(const DeviceTotals& d, double duration_s) {
  if (d.died) return d.death_s;
  if (d.energy_j <= 0) return std::nullopt;
  return duration_s * d.battery_j / d.energy_j;
}

EfficiencyInputs efficiency_inputs(const DeviceTotals& d) {
  EfficiencyInputs e;
  e.devices = 1;
  e.samples = d.classification.n;
  e.correct = d.classification.correct;
  e.labels = d.labels;
  e.self_labels = d.self_labels;
  e.self_labels_wrong = d.self_labels_wrong;
  e.energy_j = d.energy_j;
  e.learn_energy_j = d.energy_by_category[static_cast<std::size_t>(EnergyCategory::Learn)];
  e.accuracy_seconds = d.accuracy_seconds;
  if (d.labels > 0) {
    // Accuracy over chance (1/K) bought per label.
    const double chance = 1.0 / std::max(d.classes, 1);
    e.gain_per_label_sum = (d.accuracy - chance) / static_cast<double>(d.labels);
    e.devices_with_labels = 1;
  }
  e.adaptation = d.adaptation;
  e.responses = d.interventions;
  return e;
}

void add_device(GroupSummary& s, const DeviceTotals& d, double duration_s) {
  s.devices += 1;
  s.accuracy += d.accuracy;
  s.accuracy_before += d.accuracy_window_before;
  s.accuracy_after_min += d.accuracy_window_min_after;
  s.accuracy_end += d.accuracy_window_end;
  s.accuracy_fading += d.accuracy_fading;
  s.pooled += d.classification;
  if (d.classification.n > 0) {
    s.scored_devices += 1;
    s.mean_kappa += cohen_kappa(d.classification);
    s.mean_kappa_m += kappa_m(d.classification);
    s.mean_kappa_t += kappa_t(d.classification);
    s.mean_g_mean += g_mean(d.classification);
    s.mean_balanced_accuracy += balanced_accuracy(d.classification);
  }
  const double observed_s = d.died ? std::min(d.death_s, duration_s) : duration_s;
  s.detection.add(d.drifts, duration_s, d.alarms,
                  {d.false_alarms, d.false_alarm_gap_sum_s, d.false_alarm_gaps}, observed_s);
  s.recovery.add(d.drifts, duration_s);
  s.false_alarms += static_cast<int>(d.false_alarms);
  s.energy_j += d.energy_j;
  for (std::size_t c = 0; c < kEnergyCategories; ++c)
    s.energy_by_category[c] += d.energy_by_category[c];
  s.battery_left += d.battery_left;
  s.deaths += d.died;
  s.memory_breaches += d.memory_breached;
  s.peak_memory = std::max(s.peak_memory, static_cast<double>(d.peak_memory));
  s.ram_budget = static_cast<double>(d.ram_budget);
  if (d.ram_budget > 0)
    s.peak_memory_fraction =
        std::max(s.peak_memory_fraction,
                 static_cast<double>(d.peak_memory) / static_cast<double>(d.ram_budget));
  s.bytes_on_air += d.radio_bytes + d.model_bytes_tx;
  s.bytes_received += d.model_bytes_rx;
  s.budget += d.budget;
  s.calibration += d.calibration;
  for (std::size_t p = 0; p < std::min(s.calibration_phases.size(), d.calibration_phases.size());
       ++p)
    s.calibration_phases[p] += d.calibration_phases[p];
  s.classes = std::max(s.classes, d.classes);
  s.efficiency += efficiency_inputs(d);
  // Within a group every device has the same tasks; the fleet (not reported) may mix them.
  if (s.continual.tasks == 0 || s.continual.tasks == d.continual.tasks) s.continual += d.continual;
  if (const auto life = projected_lifetime_s(d, duration_s)) {
    s.lifetime_min_s = s.lifetimes ? std::min(s.lifetime_min_s, *life) : *life;
    s.lifetime_sum_s += *life;
    s.lifetimes += 1;
  }
}

void finish_summary(GroupSummary& s) {
  const double n = std::max(1, s.devices);
  s.accuracy /= n;
  s.accuracy_before /= n;
  s.accuracy_after_min /= n;
  s.accuracy_end /= n;
  s.accuracy_fading /= n;
  s.energy_j /= n;
  s.battery_left /= n;
  for (auto& e : s.energy_by_category) e /= n;
  const double scored = std::max(1, s.scored_devices);
  s.mean_kappa /= scored;
  s.mean_kappa_m /= scored;
  s.mean_kappa_t /= scored;
  s.mean_g_mean /= scored;
  s.mean_balanced_accuracy /= scored;
  s.drifts = static_cast<int>(s.detection.drifts);
  s.detected = static_cast<int>(s.detection.detected);
  s.mean_delay_s = s.detection.mean_delay_s().value_or(0.0);
}

std::vector<GroupSummary> summarize_groups(const Scenario& sc, const RunResults& r) {
  std::vector<GroupSummary> out(sc.groups.size());
  for (std::size_t g = 0; g < sc.groups.size(); ++g) {
    const auto& spec = sc.groups[g];
    out[g].name = spec.name;
    out[g].learner = spec.learner.kind;
    out[g].detector = spec.learner.detector.kind.empty() ? "-" : spec.learner.detector.kind;
    out[g].device = spec.device;
  }
  for (const auto& d : r.devices)
    add_device(out[static_cast<std::size_t>(d.group)], d, sc.duration_s);
  for (auto& s : out) finish_summary(s);
  return out;
}

GroupSummary summarize_fleet(const Scenario& sc, const RunResults& r) {
  GroupSummary s;
  s.name = "fleet";
  for (const auto& d : r.devices) add_device(s, d, sc.duration_s);
  finish_summary(s);
  return s;
}

ordered_json scenario_json(const Scenario& sc) {
  ordered_json j;
  j["name"] = sc.name;
  j["seed"] = sc.seed;
  j["duration_s"] = sc.duration_s;
  j["network"] = {{"topology", sc.network.topology},
                  {"link", sc.network.link},
                  {"slot_s", sc.network.slot_s},
                  {"channels", sc.network.channels}};
  j["output"] = {{"every_s", sc.output.every_s},
                 {"window_s", sc.output.window_s},
                 {"max_delay_s", sc.output.max_delay_s},
                 {"service_level", sc.output.service_level}};
  ordered_json groups = ordered_json::array();
  for (const auto& g : sc.groups) {
    ordered_json drifts = ordered_json::array();
    for (const auto& d : g.drifts) {
      ordered_json dj;
      dj["at_s"] = d.at_s;
      dj["kind"] = d.kind == DriftSpec::Kind::Abrupt ? "abrupt" : "gradual";
      if (d.kind == DriftSpec::Kind::Gradual) dj["width_s"] = d.width_s;
      dj["to"] = params_json(d.to);
      if (d.devices.kind == DeviceSelector::Kind::All)
        dj["devices"] = "all";
      else if (d.devices.kind == DeviceSelector::Kind::Fraction)
        dj["devices"] = d.devices.fraction;
      else
        dj["devices"] = d.devices.indices;
      drifts.push_back(dj);
    }
    ordered_json learner = {{"kind", g.learner.kind}, {"params", params_json(g.learner.params)}};
    if (!g.learner.detector.kind.empty()) {
      learner["detector"] = {{"kind", g.learner.detector.kind},
                             {"params", params_json(g.learner.detector.params)}};
      // Only when it is not the default, so that error-watching runs keep their bytes.
      if (g.learner.detector.input != "errors")
        learner["detector"]["input"] = g.learner.detector.input;
    }
    groups.push_back({{"group", g.name},
                      {"count", g.count},
                      {"device", g.device},
                      {"stream",
                       {{"generator", g.stream.generator},
                        {"params", params_json(g.stream.params)},
                        {"rate_hz", g.stream.rate_hz}}},
                      {"drift", drifts},
                      {"labels", {{"fraction", g.labels.fraction}, {"delay_s", g.labels.delay_s}}},
                      {"learner", learner},
                      {"status", {{"every_s", g.status_every_s}, {"bytes", g.status_bytes}}}});
  }
  j["fleet"] = groups;
  return j;
}

ordered_json summary_json(const Scenario& sc, const RunResults& r) {
  ordered_json j;
  j["tinyfleet_version"] = "0.1.0";
  j["scenario"] = scenario_json(sc);
  if (!sc.taxonomy.tags.empty()) {  // taxonomy.md §1 tags, also in every gathered sweep row
    ordered_json tags = ordered_json::object();
    for (const auto& [tag, value] : sc.taxonomy.tags) tags[tag] = value;
    j["taxonomy"] = tags;
  }
  ordered_json groups = ordered_json::array();
  std::size_t group_index = 0;
  for (const auto& s : summarize_groups(sc, r)) {
    ordered_json g = {{"group", s.name},
                      {"learner", s.learner},
                      {"detector", s.detector},
                      {"device", s.device},
                      {"devices", s.devices},
                      {"accuracy", s.accuracy},
                      {"accuracy_window_before_drift", s.accuracy_before},
                      {"accuracy_window_min_after_drift", s.accuracy_after_min},
                      {"accuracy_window_end", s.accuracy_end}};
    append_classification_metrics(g, s, nullptr, true);
    append_detection_metrics(g, s);
    g["mean_energy_j"] = s.energy_j;
    g["mean_battery_left"] = s.battery_left;
    g["battery_deaths"] = s.deaths;
    g["memory_breaches"] = s.memory_breaches;
    g["peak_memory_bytes"] = s.peak_memory;
    g["ram_budget_bytes"] = s.ram_budget;
    append_resource_metrics(g, s);
    if (s.budget.tracked || s.budget.brownouts > 0)
      g["budget_compliance"] = budget_compliance_json(s.budget, s.devices);
    g["calibration"] = calibration_json(s.calibration, s.calibration_phases, s.classes);
    if (r.curves.ticks() > 0)  // the group's pooled window at the last tick
      g["calibration"]["ece_window_end"] =
          r.curves.at(group_index, r.curves.ticks() - 1).ece_window();
    g["tail_risk"] = tail_risk_json(curve_accuracy_windows(r.curves, group_index),
                                    sc.output.every_s, sc.output.service_level);
    g["efficiency"] = efficiency_json(s.efficiency, window_samples(sc, group_index));
    if (s.continual.tasks > 0) g["continual"] = continual_json(s.continual);
    ++group_index;
    groups.push_back(g);
  }
  j["groups"] = groups;
  ordered_json energy = ordered_json::object();
  for (std::size_t c = 0; c < kEnergyCategories; ++c) {
    double sum = 0;
    for (const auto& d : r.devices) sum += d.energy_by_category[c];
    energy[std::string(kEnergyCategoryNames[c])] = sum;
  }
  double total = 0;
  for (const auto& d : r.devices) total += d.energy_j;
  j["fleet"] = {{"devices", r.devices.size()},
                {"energy_j", total},
                {"energy_by_category_j", energy},
                {"network",
                 {{"messages", r.network.submitted},
                  {"delivered", r.network.delivered},
                  {"bytes", r.network.bytes},
                  {"mean_latency_s", r.network.mean_latency_s},
                  {"max_latency_s", r.network.max_latency_s}}}};
  const GroupSummary fleet = summarize_fleet(sc, r);
  j["fleet"]["accuracy"] = fleet.accuracy;
  j["fleet"]["accuracy_window_end"] = fleet.accuracy_end;
  append_classification_metrics(j["fleet"], fleet, nullptr, true);
  append_detection_metrics(j["fleet"], fleet);
  append_resource_metrics(j["fleet"], fleet);
  if (fleet.budget.tracked || fleet.budget.brownouts > 0)
    j["fleet"]["budget_compliance"] = budget_compliance_json(fleet.budget, fleet.devices);
  j["fleet"]["calibration"] =
      calibration_json(fleet.calibration, fleet.calibration_phases, fleet.classes);
  j["fleet"]["tail_risk"] = tail_risk_json(curve_accuracy_windows(r.curves, r.curves.groups()),
                                           sc.output.every_s, sc.output.service_level);
  j["fleet"]["efficiency"] = efficiency_json(fleet.efficiency, 0);
  ordered_json devices = ordered_json::array();
  for (const auto& d : r.devices) {
    if (!r.per_device) break;
    ordered_json cat = ordered_json::object(), states = ordered_json::object();
    for (std::size_t c = 0; c < kEnergyCategories; ++c)
      cat[std::string(kEnergyCategoryNames[c])] = d.energy_by_category[c];
    for (std::size_t s = 0; s < kPowerStates; ++s)
      states[std::string(kPowerStateNames[s])] = {{"seconds", d.seconds_by_state[s]},
                                                  {"watts", d.watts_by_state[s]}};
    ordered_json drifts = ordered_json::array();
    for (const auto& o : d.drifts)
      drifts.push_back(
          {{"start_s", o.start_s},
           {"detected", o.detected},
           {"delay_s", o.delay_s},
           {"recovery", recovery_status_name(recovery_status(o))},
           {"recovery_s", number_or_null(recovery_status(o) == RecoveryStatus::Recovered
                                             ? std::optional<double>(o.recovery_s)
                                             : std::nullopt)}});
    devices.push_back({{"device", d.name},
                       {"group", sc.groups[static_cast<std::size_t>(d.group)].name},
                       {"samples", d.samples},
                       {"labels", d.labels},
                       {"accuracy", d.accuracy},
                       {"accuracy_fading", d.accuracy_fading},
                       {"kappa", cohen_kappa(d.classification)},
                       {"kappa_m", kappa_m(d.classification)},
                       {"kappa_t", kappa_t(d.classification)},
                       {"g_mean", g_mean(d.classification)},
                       {"balanced_accuracy", balanced_accuracy(d.classification)},
                       {"alarms", d.alarms},
                       {"false_alarms", d.false_alarms},
                       {"drifts", drifts},
                       {"energy_j", d.energy_j},
                       {"energy_by_category_j", cat},
                       {"power_states", states},
                       {"radio_bytes", d.radio_bytes},
                       {"status_messages", d.status_messages},
                       {"status_skipped_duty_cycle", d.status_skipped},
                       {"battery_left", d.battery_left},
                       {"projected_lifetime_days",
                        number_or_null(in_days(projected_lifetime_s(d, sc.duration_s)))},
                       {"died", d.died},
                       {"death_s", d.death_s},
                       {"peak_memory_bytes", d.peak_memory},
                       {"ram_budget_bytes", d.ram_budget},
                       {"memory_breached", d.memory_breached}});
    if (d.budget.tracked) devices.back()["budget_compliance"] = budget_compliance_json(d.budget, 1);
    devices.back()["calibration"] =
        calibration_json(d.calibration, d.calibration_phases, d.classes);
    devices.back()["calibration"]["ece_window_end"] = d.ece_window_end;
    devices.back()["tail_risk"] =
        tail_risk_json(d.accuracy_windows, sc.output.every_s, sc.output.service_level);
    devices.back()["efficiency"] = efficiency_json(
        efficiency_inputs(d), window_samples(sc, static_cast<std::size_t>(d.group)));
    if (d.continual.tasks > 0) devices.back()["continual"] = continual_json(d.continual);
  }
  if (r.per_device) j["devices"] = devices;
  add_fleet_server_summary(j, sc, r);
  return j;
}

}  // namespace tinyfleet
