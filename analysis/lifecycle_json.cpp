#include "analysis/lifecycle_json.hpp"

#include <algorithm>
#include <cmath>

namespace tinyfleet {

using nlohmann::ordered_json;

namespace {
ordered_json or_null(bool defined, double v) {
  if (!defined || !std::isfinite(v)) return nullptr;
  return v;
}
}  // namespace

ordered_json calibration_json(const CalibrationCounts& c, int classes) {
  const bool any = c.n > 0;
  const double accuracy = any ? static_cast<double>(c.correct) / static_cast<double>(c.n) : 0;
  return {{"predictions", c.n},
          {"ece", or_null(any, ece(c))},
          {"brier", or_null(any, brier(c))},
          {"nll", or_null(any, nll(c, classes))},
          {"mean_confidence", or_null(any, mean_confidence(c))},
          {"accuracy", or_null(any, accuracy)},
          {"confidence_gap", or_null(any, confidence_gap(c))}};
}

ordered_json calibration_json(const CalibrationCounts& all,
                              std::span<const CalibrationCounts> phases, int classes) {
  ordered_json j = calibration_json(all, classes);
  ordered_json p = ordered_json::object();
  for (std::size_t i = 0; i < phases.size(); ++i)
    p[kCalibrationPhaseNames[i]] = calibration_json(phases[i], classes);
  j["phases"] = p;
  return j;
}

ordered_json tail_risk_json(const std::vector<double>& accuracy_windows, double tick_s,
                            double service_level, double alpha) {
  const TailRisk t = tail_risk(accuracy_windows, tick_s, service_level, alpha);
  const bool any = t.windows > 0;
  return {{"windows", t.windows},
          {"accuracy_window_p5", or_null(any, t.p5)},
          {"accuracy_window_worst", or_null(any, t.worst)},
          {"cvar_alpha", alpha},
          {"cvar_loss_window", or_null(any, t.cvar)},
          {"service_level", service_level},
          {"time_below_service_level_s", or_null(any, t.time_below_s)}};
}

std::vector<double> curve_accuracy_windows(const GroupCurves& curves, std::size_t group) {
  std::vector<double> out;
  for (std::size_t k = 0; k < curves.ticks(); ++k) {
    CurvePoint p;
    for (std::size_t g = 0; g < curves.groups(); ++g) {
      if (g != group && group < curves.groups()) continue;
      p.window_correct += curves.at(g, k).window_correct;
      p.window_seen += curves.at(g, k).window_seen;
    }
    if (p.window_seen > 0) out.push_back(p.accuracy_window());
  }
  return out;
}

ordered_json continual_json(const TaskAccuracyCounts& c) {
  const auto r = c.matrix();
  const auto b = c.baseline_accuracy();
  const ContinualMetrics m = continual_metrics(r, b);
  const double devices = std::max(1, c.devices);
  std::vector<uint64_t> probe(c.probe.size());
  for (std::size_t j = 0; j < probe.size(); ++j)
    probe[j] = c.probe[j] / static_cast<uint64_t>(devices);
  std::vector<double> energy(c.task_energy_j.size());
  double energy_sum = 0;
  for (std::size_t j = 0; j < energy.size(); ++j)
    energy_sum += energy[j] = c.task_energy_j[j] / devices;
  return {{"tasks", c.tasks},
          {"devices", c.devices},
          {"probe_per_task", probe},
          {"accuracy_matrix", r},
          {"baseline", b},
          {"average_accuracy", m.average_accuracy},
          {"bwt", m.bwt ? ordered_json(*m.bwt) : ordered_json(nullptr)},
          {"fwt", m.fwt ? ordered_json(*m.fwt) : ordered_json(nullptr)},
          {"energy_per_task_j", energy},
          {"energy_per_task_mean_j", energy_sum / std::max(1, c.tasks)}};
}

}  // namespace tinyfleet
