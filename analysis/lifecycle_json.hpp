#pragma once
// The lifecycle metric blocks of summary.json (docs/METRICS.md "Calibration",
// "Tail risk"), shared with `tinyfleet evaluate`.
#include <array>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/calibration.hpp"
#include "analysis/continual.hpp"
#include "analysis/group_curves.hpp"
#include "analysis/tail_risk.hpp"

namespace tinyfleet {

// {predictions, ece, brier, nll, mean_confidence, accuracy, confidence_gap}
// (null metrics when there is no prediction); `classes` is NLL's K.
nlohmann::ordered_json calibration_json(const CalibrationCounts& c, int classes);
// The whole-run block plus "phases": {pre_drift, transient, post_recovery}.
nlohmann::ordered_json calibration_json(const CalibrationCounts& all,
                                        std::span<const CalibrationCounts> phases, int classes);
// {windows, accuracy_window_p5, accuracy_window_worst, cvar_alpha,
//  cvar_loss_window, service_level, time_below_service_level_s} (null metrics
// when no window scored).
nlohmann::ordered_json tail_risk_json(const std::vector<double>& accuracy_windows, double tick_s,
                                      double service_level, double alpha = kDefaultCvarAlpha);
// The windowed accuracy of a group's curve at the ticks where it scored;
// group = curves.groups(): the fleet's (every group's windows pooled).
std::vector<double> curve_accuracy_windows(const GroupCurves& curves, std::size_t group);

// {tasks, devices, probe_per_task, accuracy_matrix (R), baseline (b),
//  average_accuracy, bwt, fwt (null for one task), energy_per_task_j (mean per
//  device), energy_per_task_mean_j} of pooled probe counts (docs/METRICS.md
//  "Continual learning").
nlohmann::ordered_json continual_json(const TaskAccuracyCounts& c);

}  // namespace tinyfleet
