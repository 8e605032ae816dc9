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
std::vector<DeviceSetup> plan_fleet(const Scenario& scenario);

std::vector<std::unique_ptr<Device>> build_devices(const std::vector<DeviceSetup>& setups);

}  // namespace tinyfleet
