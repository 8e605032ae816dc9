#include "analysis/summary.hpp"

#include <algorithm>

namespace tinyfleet {
namespace {

using nlohmann::ordered_json;

ordered_json params_json(const Params& p) {
  ordered_json j = ordered_json::object();
  for (const auto& [k, v] : p.numbers) j[k] = v;
  for (const auto& [k, v] : p.strings) j[k] = v;
  return j;
}

}  // namespace

std::vector<GroupSummary> summarize_groups(const Scenario& sc, const RunResults& r) {
  std::vector<GroupSummary> out(sc.groups.size());
  for (std::size_t g = 0; g < sc.groups.size(); ++g) {
    const auto& spec = sc.groups[g];
    out[g].name = spec.name;
    out[g].learner = spec.learner.kind;
    out[g].detector = spec.learner.detector.kind.empty() ? "-" : spec.learner.detector.kind;
    out[g].device = spec.device;
  }
  for (const auto& d : r.devices) {
    auto& s = out[static_cast<std::size_t>(d.group)];
    s.devices += 1;
    s.accuracy += d.accuracy;
    s.accuracy_before += d.accuracy_window_before;
    s.accuracy_after_min += d.accuracy_window_min_after;
    s.accuracy_end += d.accuracy_window_end;
    for (const auto& o : d.drifts) {
      if (o.start_s > sc.duration_s) continue;
      s.drifts += 1;
      if (o.detected) {
        s.detected += 1;
        s.mean_delay_s += o.delay_s;
      }
    }
    s.false_alarms += static_cast<int>(d.false_alarms);
    s.energy_j += d.energy_j;
    s.battery_left += d.battery_left;
    s.deaths += d.died;
    s.memory_breaches += d.memory_breached;
    s.peak_memory = std::max(s.peak_memory, static_cast<double>(d.peak_memory));
    s.ram_budget = static_cast<double>(d.ram_budget);
  }
  for (auto& s : out) {
    const double n = std::max(1, s.devices);
    s.accuracy /= n;
    s.accuracy_before /= n;
    s.accuracy_after_min /= n;
    s.accuracy_end /= n;
    s.energy_j /= n;
    s.battery_left /= n;
    if (s.detected) s.mean_delay_s /= s.detected;
  }
  return out;
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
                 {"max_delay_s", sc.output.max_delay_s}};
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
    if (!g.learner.detector.kind.empty())
      learner["detector"] = {{"kind", g.learner.detector.kind},
                             {"params", params_json(g.learner.detector.params)}};
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
  ordered_json groups = ordered_json::array();
  for (const auto& s : summarize_groups(sc, r)) {
    groups.push_back({{"group", s.name},
                      {"learner", s.learner},
                      {"detector", s.detector},
                      {"device", s.device},
                      {"devices", s.devices},
                      {"accuracy", s.accuracy},
                      {"accuracy_window_before_drift", s.accuracy_before},
                      {"accuracy_window_min_after_drift", s.accuracy_after_min},
                      {"accuracy_window_end", s.accuracy_end},
                      {"drifts", s.drifts},
                      {"drifts_detected", s.detected},
                      {"drifts_missed", s.drifts - s.detected},
                      {"false_alarms", s.false_alarms},
                      {"mean_detection_delay_s", s.mean_delay_s},
                      {"mean_energy_j", s.energy_j},
                      {"mean_battery_left", s.battery_left},
                      {"battery_deaths", s.deaths},
                      {"memory_breaches", s.memory_breaches},
                      {"peak_memory_bytes", s.peak_memory},
                      {"ram_budget_bytes", s.ram_budget}});
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
      drifts.push_back({{"start_s", o.start_s}, {"detected", o.detected}, {"delay_s", o.delay_s}});
    devices.push_back({{"device", d.name},
                       {"group", sc.groups[static_cast<std::size_t>(d.group)].name},
                       {"samples", d.samples},
                       {"labels", d.labels},
                       {"accuracy", d.accuracy},
                       {"alarms", d.alarms},
                       {"false_alarms", d.false_alarms},
                       {"drifts", drifts},
                       {"energy_j", d.energy_j},
                       {"energy_by_category_j", cat},
                       {"power_states", states},
                       {"radio_bytes", d.radio_bytes},
                       {"status_messages", d.status_messages},
                       {"battery_left", d.battery_left},
                       {"died", d.died},
                       {"death_s", d.death_s},
                       {"peak_memory_bytes", d.peak_memory},
                       {"ram_budget_bytes", d.ram_budget},
                       {"memory_breached", d.memory_breached}});
  }
  if (r.per_device) j["devices"] = devices;
  return j;
}

}  // namespace tinyfleet
