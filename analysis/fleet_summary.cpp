#include "analysis/fleet_summary.hpp"

#include <algorithm>
#include <set>

#include "analysis/detection.hpp"
#include "analysis/recovery.hpp"

namespace tinyfleet {
namespace {

using nlohmann::ordered_json;

ordered_json federation_settings(const FederationSpec& f) {
  ordered_json j = {{"groups", f.groups},
                    {"mode", f.mode},
                    {"participation", f.participation},
                    {"every_s", f.every_s},
                    {"start_s", f.start_s},
                    {"on_fleet_alarm", f.on_fleet_alarm},
                    {"rounds", f.rounds},
                    {"epochs", f.epochs},
                    {"deadline_s", f.deadline_s},
                    {"loss", f.loss},
                    {"max_retries", f.max_retries},
                    {"header_bytes", f.header_bytes},
                    {"local_learning", f.local_learning},
                    {"clear_buffer", f.clear_buffer},
                    {"availability", f.availability.kind}};
  if (f.availability.kind == "probability")
    j["availability_probability"] = f.availability.probability;
  if (f.availability.kind == "duty_cycle") {
    j["availability_period_s"] = f.availability.period_s;
    j["availability_on_s"] = f.availability.on_s;
  }
  j["evaluate_samples"] = f.evaluate_samples;
  return j;
}

ordered_json federation_results(const RunResults& r) {
  const FleetServerResults& f = r.fleet;
  int received = 0, stragglers = 0, dropouts = 0, lost = 0, selected = 0;
  double up = 0, down = 0, duration = 0, best = -1, last = -1;
  for (const auto& x : f.rounds) {
    selected += x.selected;
    received += x.received;
    stragglers += x.stragglers;
    dropouts += x.dropouts;
    lost += x.lost;
    up += x.bytes_up;
    down += x.bytes_down;
    duration += x.end_s - x.start_s;
    if (x.test_accuracy >= 0) {
      best = std::max(best, x.test_accuracy);
      last = x.test_accuracy;
    }
  }
  const double n = std::max<double>(1, static_cast<double>(f.rounds.size()));
  double rx = 0, tx = 0, radio_j = 0, trained = 0;
  int members = 0;
  for (const auto& d : r.devices) {
    if (d.rounds_trained == 0 && d.models_received == 0) continue;
    ++members;
    rx += d.model_bytes_rx;
    tx += d.model_bytes_tx;
    trained += static_cast<double>(d.rounds_trained);
    radio_j += d.energy_by_category[static_cast<std::size_t>(EnergyCategory::Radio)];
  }
  const double m = std::max(1, members);
  // Rounds to recover (taxonomy.md §2 E8): for each drift a member device
  // recovered from, the rounds that ended between its start and its recovery.
  int recovered = 0;
  double rounds_to_recover = 0;
  for (const auto& d : r.devices) {
    if (d.rounds_trained == 0 && d.models_received == 0) continue;
    for (const auto& o : d.drifts) {
      if (recovery_status(o) != RecoveryStatus::Recovered) continue;
      ++recovered;
      for (const auto& x : f.rounds)
        rounds_to_recover += x.end_s > o.start_s && x.end_s <= o.start_s + o.recovery_s;
    }
  }
  ordered_json j = {{"mode", f.mode},
                    {"members", f.members},
                    {"model_params", f.model_params},
                    {"model_message_bytes", f.model_bytes},
                    {"sessions", f.sessions},
                    {"sessions_skipped", f.sessions_skipped},
                    {"rounds", f.rounds.size()},
                    {"selected", selected},
                    {"updates_received", received},
                    {"stragglers", stragglers},
                    {"dropouts", dropouts},
                    {"lost", lost},
                    {"uplink_bytes", up},
                    {"downlink_bytes", down},
                    {"uplink_bytes_per_round", up / n},
                    {"downlink_bytes_per_round", down / n},
                    {"mean_round_s", duration / n},
                    {"mean_rounds_trained_per_device", trained / m},
                    {"mean_model_bytes_rx_per_device", rx / m},
                    {"mean_model_bytes_tx_per_device", tx / m},
                    {"mean_radio_energy_j_per_device", radio_j / m}};
  j["member_drifts_recovered"] = recovered;
  j["rounds_to_recover_mean"] =
      recovered ? ordered_json(rounds_to_recover / recovered) : ordered_json(nullptr);
  if (best >= 0) {
    j["best_test_accuracy"] = best;
    j["final_test_accuracy"] = last;
  }
  return j;
}

// Fleet alarms scored against the distinct drift start times the devices saw.
ordered_json fleet_detection(const Scenario& sc, const RunResults& r) {
  std::set<double> starts;
  uint64_t device_alarms = 0, alarm_reports = 0;
  for (const auto& d : r.devices) {
    device_alarms += d.alarms;
    alarm_reports += d.alarm_reports;
    for (const auto& o : d.drifts)
      if (o.start_s <= sc.duration_s) starts.insert(o.start_s);
  }
  std::vector<DriftOutcome> drifts;
  for (double s : starts) drifts.push_back({s, false, 0});
  std::vector<double> alarms;
  for (const auto& a : r.fleet.fleet_alarms) alarms.push_back(a.t);
  uint64_t false_alarms = 0;
  score_detections(alarms, sc.output.max_delay_s, drifts, false_alarms);
  int detected = 0;
  double delay = 0;
  ordered_json per_drift = ordered_json::array();
  for (const auto& o : drifts) {
    if (o.detected) {
      ++detected;
      delay += o.delay_s;
    }
    per_drift.push_back({{"start_s", o.start_s}, {"detected", o.detected}, {"delay_s", o.delay_s}});
  }
  return {
      {"quorum_fraction", sc.fleet_detector.quorum_fraction},
      {"quorum_count", sc.fleet_detector.quorum_count},
      {"window_s", sc.fleet_detector.window_s},
      {"per_group", sc.fleet_detector.per_group},
      {"action", sc.fleet_detector.action},
      {"device_alarms", device_alarms},
      {"alarm_reports_sent", alarm_reports},
      {"alarm_reports_delivered", r.fleet.alarm_reports},
      {"alarm_bytes_sent", static_cast<double>(alarm_reports) * sc.fleet_detector.alarm_bytes},
      {"fleet_alarms", r.fleet.fleet_alarms.size()},
      {"drifts", drifts.size()},
      {"drifts_detected", detected},
      {"false_alarms", false_alarms},
      // null, not 0, when no drift was detected (as the groups' MTD).
      {"mean_detection_delay_s", detected ? ordered_json(delay / detected) : ordered_json(nullptr)},
      {"resets", r.fleet.resets},
      {"per_drift", per_drift}};
}

}  // namespace

void add_fleet_server_summary(ordered_json& summary, const Scenario& sc, const RunResults& r) {
  if (sc.federation.enabled) {
    summary["scenario"]["federation"] = federation_settings(sc.federation);
    summary["federation"] = federation_results(r);
  }
  if (sc.fleet_detector.enabled) summary["fleet_detection"] = fleet_detection(sc, r);
}

}  // namespace tinyfleet
