#pragma once
// The figures of one run, as gnuplot scripts (analysis/report_gnuplot.hpp).
// Each builder returns std::nullopt when the run has nothing to show for it
// and then says why in `why_not` (report.html prints it instead).
#include <optional>
#include <string>
#include <vector>

#include "analysis/report_data.hpp"
#include "analysis/report_gnuplot.hpp"

namespace tinyfleet {

// Windowed accuracy per group over time with the injected drifts shaded, each
// group's pre-drift level and recovery marked, and detector alarms counted per
// time bin underneath (a fleet can raise thousands; a rug would be a smear).
std::optional<Figure> accuracy_figure(const RunReport& run, std::string& why_not);
// Mean energy per device by category per group (stacked bars), with and without sleep.
std::optional<Figure> energy_figure(const RunReport& run, std::string& why_not);
// Peak memory (max over devices) against the RAM budget per group.
std::optional<Figure> memory_figure(const RunReport& run, std::string& why_not);
// Histogram of the devices' cumulative accuracy per group.
std::optional<Figure> device_accuracy_figure(const RunReport& run, std::string& why_not);
// Windowed ECE per group over time (analysis/report_plot_lifecycle.cpp).
std::optional<Figure> calibration_figure(const RunReport& run, std::string& why_not);
// Energy of the last closed budget window vs the energy budget, per group.
std::optional<Figure> budget_figure(const RunReport& run, std::string& why_not);
// Federated rounds: duration, clients selected and heard from, global test accuracy.
std::optional<Figure> rounds_figure(const RunReport& run, std::string& why_not);

// Width of the alarm-count bins: about 1/96 of the run, rounded to a round number of seconds.
double alarm_bin_s(double duration_s);
// counts[bin][group]: alarms of each group in [bin·bin_s, (bin+1)·bin_s).
std::vector<std::vector<int>> alarm_histogram(const RunReport& run, double bin_s);

}  // namespace tinyfleet
