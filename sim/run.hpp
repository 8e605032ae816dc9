#pragma once
// One run of a scenario, from the typed Scenario to the results in memory.
#include <string>
#include <vector>

#include "analysis/group_curves.hpp"
#include "analysis/results.hpp"
#include "scenarios/scenario.hpp"
#include "sim/fleet_server.hpp"
#include "sim/gateway.hpp"
#include "sim/schedulers.hpp"

namespace tinyfleet {

struct RunOptions {
  Schedule schedule = Schedule::Calendar;
  bool progress = false;  // draw a progress bar on stdout
};

struct RunResults {
  RunResults() : curves(0, 0, 1) {}
  std::vector<DeviceTotals> devices;  // by id
  GroupCurves curves;                 // group series at each output tick
  bool per_device = true;             // rows/metrics per device kept
  std::vector<Event> events;          // sorted by (time, device, order of occurrence)
  std::vector<MetricRow> rows;        // sorted by (time, device, metric)
  NetworkStats network;
  FleetServerResults fleet;  // federation rounds and fleet alarms
  double sim_end_s = 0;
  std::size_t overhead_bytes_per_device = 0;
};

// Runs the simulation. SimGrid allows one engine per process: call once.
RunResults run_scenario(const Scenario& scenario, const RunOptions& options);

}  // namespace tinyfleet
