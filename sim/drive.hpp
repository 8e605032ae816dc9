#pragma once
// Brings one device up to simulated time `t`: its local events and its status
// reports at or before `t`, in time order (at equal times local work first,
// then the report). Every owner of a device — its own actor, a calendar
// driver, the fleet server during a round — advances it only through here, so
// the device's history does not depend on who did.
#include <algorithm>

#include "sim/device.hpp"
#include "sim/gateway.hpp"

namespace tinyfleet {

inline void drive_device(Device& d, double t, Gateway& gateway) {
  for (;;) {
    const double status = d.next_status_time();
    if (d.step_if_due(std::min(status, t))) continue;
    // The next local event is later than the report, or than t.
    if (status <= t && status != kNever) {
      const Device::Report r = d.send_status();
      if (r.bytes > 0) gateway.submit({r.on_air_s, d.id(), r.bytes, r.alarm});
    } else {
      return;
    }
  }
}

}  // namespace tinyfleet
