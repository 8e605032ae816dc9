#pragma once
// What drives the devices in simulated time. Both schedules give the same
// device histories (a test compares their outputs byte for byte):
// - per-sample: the reference; one SimGrid actor per device, one step per local
//   event at its own simulated time. For small fleets (each actor costs a
//   stack mapping; Linux caps them near 32 000).
// - calendar: the fast one; one driver actor per gateway cell advances the
//   cell's devices up to their next network interaction, running all local
//   work in between as plain function calls; SimGrid sees only the
//   interactions. Without a fleet server the only interactions are outgoing
//   reports, so each device runs through a whole horizon of them per visit.
#include <memory>
#include <string>
#include <vector>

#include "sim/barrier.hpp"
#include "sim/device.hpp"
#include "sim/gateway.hpp"
#include "sim/platform.hpp"

namespace tinyfleet {

enum class Schedule { PerSample, Calendar };
Schedule parse_schedule(const std::string& name);  // throws std::invalid_argument
inline constexpr int kMaxPerSampleDevices = 30000;
// How far ahead (simulated seconds) a calendar driver hands reports to its
// gateway while a fleet server may reach the devices (sessions start on its
// multiples, sim/fleet_server.cpp).
inline constexpr double kDriverHorizon = 10.0;
// The same without a fleet server: nothing reaches a device from the network,
// so a driver runs each device through every report of a long horizon in one
// visit (its state is fetched into cache once per horizon, not once per
// report). Bounded so that the reports queued at a gateway stay few
// (devices × horizon / report period).
inline constexpr double kFreeHorizon = 600.0;

// `gateways[c]` serves the devices of cell c.
using Gateways = std::vector<std::unique_ptr<Gateway>>;
// `barrier` (may be null): the fleet server's limit on running devices ahead
// of the clock (sim/barrier.hpp); the per-sample schedule never runs ahead.
void start_per_sample(std::vector<std::unique_ptr<Device>>& devices, const Platform& platform,
                      Gateways& gateways, const InteractionBarrier* barrier = nullptr);
void start_calendar(std::vector<std::unique_ptr<Device>>& devices, const Platform& platform,
                    Gateways& gateways, const InteractionBarrier* barrier = nullptr);

}  // namespace tinyfleet
