#include "sim/fleet_detector.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tinyfleet {

FleetDetector::FleetDetector(const FleetDetectorSpec& spec, const std::vector<int>& group_sizes)
    : spec_(spec),
      group_sizes_(group_sizes),
      fleet_size_(std::accumulate(group_sizes.begin(), group_sizes.end(), 0)),
      scopes_(spec.per_group ? group_sizes.size() : 1) {}

int FleetDetector::quorum(int scope) const {
  const int n = scope < 0 ? fleet_size_ : group_sizes_[static_cast<std::size_t>(scope)];
  const int by_fraction = static_cast<int>(std::ceil(spec_.quorum_fraction * n - 1e-9));
  return std::max({1, spec_.quorum_count, by_fraction});
}

std::optional<FleetAlarm> FleetDetector::on_alarm_report(int device, int group, double t) {
  const int scope_id = spec_.per_group ? group : -1;
  Scope& s = scopes_[static_cast<std::size_t>(spec_.per_group ? group : 0)];
  while (!s.reports.empty() && s.reports.front().first < t - spec_.window_s) {
    auto it = s.per_device.find(s.reports.front().second);
    if (--it->second == 0) s.per_device.erase(it);
    s.reports.pop_front();
  }
  s.reports.emplace_back(t, device);
  ++s.per_device[device];
  const int distinct = static_cast<int>(s.per_device.size());
  if (distinct < quorum(scope_id)) return std::nullopt;
  s.reports.clear();
  s.per_device.clear();
  return FleetAlarm{t, scope_id, distinct};
}

}  // namespace tinyfleet
