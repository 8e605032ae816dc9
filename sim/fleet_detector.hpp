#pragma once
// Fleet-level change detection at the gateway side: devices flag their
// detector alarms in their status reports; a fleet alarm is raised when a
// quorum of distinct devices (of the fleet, or of one group with
// `per_group`) has flagged an alarm within the last `window` seconds. The
// quorum is max(count, ceil(fraction · devices in scope)). Once raised, the
// alarms that formed it are consumed, so the next fleet alarm needs a fresh
// quorum.
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "scenarios/scenario.hpp"

namespace tinyfleet {

struct FleetAlarm {
  double t = 0;
  int scope = -1;   // group index with per_group, else −1 (the fleet)
  int devices = 0;  // distinct devices in the quorum
};

class FleetDetector {
 public:
  // `group_sizes[g]`: devices of group g.
  FleetDetector(const FleetDetectorSpec& spec, const std::vector<int>& group_sizes);
  // A report flagging an alarm of `device` (of `group`) arrived at `t`
  // (non-decreasing across calls).
  std::optional<FleetAlarm> on_alarm_report(int device, int group, double t);
  int quorum(int scope) const;

 private:
  struct Scope {
    std::deque<std::pair<double, int>> reports;  // (t, device), oldest first
    std::unordered_map<int, int> per_device;     // reports in the window, per device
  };
  FleetDetectorSpec spec_;
  std::vector<int> group_sizes_;
  int fleet_size_ = 0;
  std::vector<Scope> scopes_;  // one per group, or a single fleet scope
};

}  // namespace tinyfleet
