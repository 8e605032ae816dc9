#include "sim/fleet.hpp"

#include <algorithm>
#include <stdexcept>

#include "drift/rng.hpp"
#include "sim/lifecycle_plan.hpp"

namespace tinyfleet {
namespace {
// derive_seed purposes at fleet level (distinct from the per-device ones in device.cpp).
constexpr uint64_t kPhaseSeed = 101;
constexpr uint64_t kDriftSelectionSeed = 102;
constexpr uint64_t kDriftJitterSeed = 1000;  // + drift index
}  // namespace

int fleet_size(const Scenario& sc) {
  int n = 0;
  for (const auto& g : sc.groups) n += g.count;
  return n;
}

int cell_count(const Scenario& sc) {
  const int n = fleet_size(sc), per = sc.network.cell_devices;
  return std::max(1, (n + per - 1) / per);
}

bool keeps_per_device_outputs(const Scenario& sc) {
  if (sc.output.per_device == "true") return true;
  if (sc.output.per_device == "false") return false;
  return fleet_size(sc) <= 1000;
}

std::vector<DeviceSetup> plan_fleet(const Scenario& sc, GroupCurves* curves) {
  const bool per_device = keeps_per_device_outputs(sc);
  const LinkPreset* link = find_link_preset(sc.network.link);
  if (!link) throw std::invalid_argument("unknown link preset '" + sc.network.link + "'");
  std::vector<DeviceSetup> out;
  int id = 0;
  for (std::size_t g = 0; g < sc.groups.size(); ++g) {
    const GroupSpec& group = sc.groups[g];
    const Profile* profile = find_board(group.device);
    if (!profile) throw std::invalid_argument("unknown device '" + group.device + "'");
    // Which devices of the group each drift reaches: fixed by the seed, not by the schedule.
    std::vector<std::vector<bool>> reach;
    for (std::size_t k = 0; k < group.drifts.size(); ++k)
      reach.push_back(select_devices(group.drifts[k].devices, group.count,
                                     derive_seed(sc.seed, g * 65536 + k, kDriftSelectionSeed)));
    const LifecycleReach lifecycle_reached = lifecycle_reach(sc, g);
    for (int i = 0; i < group.count; ++i, ++id) {
      DeviceSetup s;
      s.id = id;
      s.group = static_cast<int>(g);
      s.index_in_group = i;
      s.name = group.name + "/" + std::to_string(i);
      s.spec = &group;
      s.profile = profile;
      s.battery_joules = group.battery_mah > 0 ? group.battery_mah * 3.6 * profile->battery_v
                                               : profile->battery_joules();
      s.link = link;
      s.end_s = sc.duration_s;
      s.output_every_s = sc.output.every_s;
      s.window_s = sc.output.window_s;
      s.max_delay_s = sc.output.max_delay_s;
      s.seed = sc.seed;
      s.curves = curves;
      s.per_device_rows = per_device;
      s.cell = id / sc.network.cell_devices;
      const auto& fed = sc.federation.groups;
      s.federated =
          sc.federation.enabled && std::find(fed.begin(), fed.end(), group.name) != fed.end();
      s.local_learning = sc.federation.local_learning;
      s.alarm_bytes = sc.fleet_detector.enabled ? sc.fleet_detector.alarm_bytes : 0;
      s.alarm_immediate = sc.fleet_detector.enabled && sc.fleet_detector.send == "immediate";
      s.lifecycle = plan_lifecycle(sc, g, i, lifecycle_reached);
      // Devices are not synchronised: each starts at its own offset within one sample period.
      SplitMix64 phase(derive_seed(sc.seed, static_cast<uint64_t>(id), kPhaseSeed));
      s.phase_s = phase.next_double() / group.stream.rate_hz;
      for (std::size_t k = 0; k < group.drifts.size(); ++k) {
        if (!reach[k][static_cast<std::size_t>(i)]) continue;
        DriftSpec drift = group.drifts[k];
        if (drift.jitter_s > 0) {  // this device's own delay of the change
          SplitMix64 jitter(derive_seed(sc.seed, static_cast<uint64_t>(id), kDriftJitterSeed + k));
          drift.at_s += jitter.next_double() * drift.jitter_s;
        }
        s.drifts.push_back(std::move(drift));
      }
      out.push_back(std::move(s));
    }
  }
  return out;
}

std::vector<std::unique_ptr<Device>> build_devices(std::vector<DeviceSetup> setups) {
  std::vector<std::unique_ptr<Device>> devices;
  devices.reserve(setups.size());
  for (auto& s : setups) devices.push_back(std::make_unique<Device>(std::move(s)));
  return devices;
}

}  // namespace tinyfleet
