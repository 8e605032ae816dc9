#pragma once
// The SimGrid platform of a fleet: one host per device (speed = its clock, so
// one flop = one cycle) and one gateway host per cell, in a star zone where
// every host has its own radio link (bandwidth and latency from the link preset).
#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/device.hpp"

namespace tinyfleet {

struct Platform {
  std::vector<simgrid::s4u::Host*> gateways;  // indexed by cell
  std::vector<simgrid::s4u::Host*> devices;   // indexed by device id
};

Platform build_platform(const std::vector<DeviceSetup>& setups, int cells);

}  // namespace tinyfleet
