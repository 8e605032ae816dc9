#pragma once
// Turns a scenario into devices: one DeviceSetup per device with its board,
// link, seeds, first-sample phase and the drifts that reach it.
#include <memory>
#include <vector>

#include "sim/device.hpp"

namespace tinyfleet {

// Setups for every device, numbered 0..N-1 in group order. Throws
// std::invalid_argument for names the catalogs do not know (the loader
// normally catches those first).
// `curves`, if given, receives every device's tick reports.
std::vector<DeviceSetup> plan_fleet(const Scenario& scenario, GroupCurves* curves = nullptr);

// Whether per-device rows are kept ("auto": fleets of at most 1000 devices).
bool keeps_per_device_outputs(const Scenario& scenario);
int fleet_size(const Scenario& scenario);
int cell_count(const Scenario& scenario);

// Consumes the setups: each device keeps its own (the plan is not kept twice).
std::vector<std::unique_ptr<Device>> build_devices(std::vector<DeviceSetup> setups);

}  // namespace tinyfleet
