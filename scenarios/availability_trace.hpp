#pragma once
// A federation availability trace: when each device can be reached, from a
// CSV file (e.g. a log of when real nodes were online). Format:
//
//   device,start,end          <- header, required
//   sensors/0,0,2h            <- device by name (group/index) or fleet id,
//   sensors/0,3h,1d              then an interval [start, end) in seconds or
//   17,30m,90m                   with a unit (s, m, h, d)
//
// Blank lines and lines starting with '#' are skipped. A device may have any
// number of intervals; a device the trace does not name is never available.
#include <string>
#include <utility>
#include <vector>

namespace tinyfleet {

struct AvailabilityTrace {
  // intervals[id]: sorted, non-overlapping [start, end) of the device with fleet id `id`.
  std::vector<std::vector<std::pair<double, double>>> intervals;
  bool operator==(const AvailabilityTrace&) const = default;
  bool covers(int device, double t) const;
};

// Parses `text` for a fleet whose devices are named `names` (index = fleet id).
// Throws std::invalid_argument("line N: ...") on the first problem.
AvailabilityTrace parse_availability_trace(const std::string& text,
                                           const std::vector<std::string>& names);

}  // namespace tinyfleet
