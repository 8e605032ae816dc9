#include "analysis/summary_table.hpp"

#include <cstdio>

#include "analysis/summary.hpp"

namespace tinyfleet {

std::string render_summary_table(const Scenario& sc, const RunResults& r) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%s: %zu devices, %.0f s simulated, seed %llu\n",
                sc.name.c_str(), r.devices.size(), sc.duration_s,
                static_cast<unsigned long long>(sc.seed));
  out += line;
  std::snprintf(line, sizeof line, "%-14s %-8s %-13s %5s %6s %6s %8s %8s %6s %9s %7s %9s %7s\n",
                "group", "learner", "detector", "devs", "acc", "kappa", "@drift", "min>dr", "end",
                "detected", "delay", "E/dev mJ", "batt");
  out += line;
  for (const auto& g : summarize_groups(sc, r)) {
    char detected[32], delay[32];
    std::snprintf(detected, sizeof detected, "%d/%d", g.detected, g.drifts);
    if (g.detected)
      std::snprintf(delay, sizeof delay, "%.0fs", g.mean_delay_s);
    else
      std::snprintf(delay, sizeof delay, "-");
    std::snprintf(line, sizeof line,
                  "%-14s %-8s %-13s %5d %6.3f %6.3f %8.3f %8.3f %6.3f %9s %7s %9.2f %6.1f%%\n",
                  g.name.c_str(), g.learner.c_str(), g.detector.c_str(), g.devices, g.accuracy,
                  cohen_kappa(g.pooled), g.accuracy_before, g.accuracy_after_min, g.accuracy_end,
                  detected, delay, g.energy_j * 1e3, g.battery_left * 100);
    out += line;
    if (g.deaths || g.memory_breaches || g.false_alarms) {
      std::snprintf(line, sizeof line,
                    "%14s   battery deaths %d, memory breaches %d, false alarms %d\n", "", g.deaths,
                    g.memory_breaches, g.false_alarms);
      out += line;
    }
  }
  std::snprintf(line, sizeof line, "network: %llu reports, %.0f bytes, mean latency %.1f ms\n",
                static_cast<unsigned long long>(r.network.submitted), r.network.bytes,
                r.network.mean_latency_s * 1e3);
  out += line;
  return out;
}

}  // namespace tinyfleet
