#pragma once
// The SimGrid platform of a fleet: one host per device (speed = its clock, so
// one flop = one cycle) and a gateway host, in a star zone where each device
// has its own radio link (bandwidth and latency from the link preset).
#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/device.hpp"

namespace tinyfleet {

struct Platform {
  simgrid::s4u::Host* gateway = nullptr;
  std::vector<simgrid::s4u::Host*> devices;  // indexed by device id
};

Platform build_platform(const std::vector<DeviceSetup>& setups);

}  // namespace tinyfleet
