#pragma once
// What drives the devices in simulated time. Both schedules give the same
// device histories (a test compares their outputs byte for byte):
// - per-sample: the reference; one SimGrid actor per device, one step per local
//   event, the CPU work executed on the device's host. For small fleets
//   (each actor costs a stack mapping; Linux caps them near 32 000).
// - calendar: the fast one; one driver actor advances every device from a
//   calendar of its next network interaction, running all local work in
//   between as plain function calls; SimGrid sees only the interactions.
#include <memory>
#include <string>
#include <vector>

#include "sim/device.hpp"
#include "sim/gateway.hpp"
#include "sim/platform.hpp"

namespace tinyfleet {

enum class Schedule { PerSample, Calendar };
Schedule parse_schedule(const std::string& name);  // throws std::invalid_argument
inline constexpr int kMaxPerSampleDevices = 30000;

void start_per_sample(std::vector<std::unique_ptr<Device>>& devices, const Platform& platform,
                      Gateway& gateway);
void start_calendar(std::vector<std::unique_ptr<Device>>& devices, const Platform& platform,
                    Gateway& gateway);

}  // namespace tinyfleet
