#pragma once
// `tinyfleet sweep gather`: one table of every point's parameters and summary
// metrics, in DIR/results.sqlite and DIR/results.csv.
//
// results.sqlite:
//   runs(point, status, param.<key>..., <metric>...)   one row per point
//   metrics(point, time_s, device, metric, value)     metrics.csv rows of the
//                                                      groups and the fleet
//   events(point, time_s, device, event, detail)      events.csv
// Metric columns flatten summary.json's numbers: "group.<name>.<field>" for
// each group, "fleet.<field>" (nested objects and lists add ".<key>"/".<i>").
// Rows go in point order and nothing depends on time or on how many workers
// ran the points, so the files are byte-identical for the same results.
// Both files are written to a temporary name and renamed.
#include <cstddef>
#include <string>
#include <vector>

namespace tinyfleet {

struct GatherOptions {
  bool per_device_metrics = false;  // also the devices' own metrics.csv rows
};

struct GatherReport {
  std::size_t points = 0, ok = 0;
  std::vector<std::size_t> failed, missing;
};

GatherReport gather_sweep(const std::string& dir, const GatherOptions& options = {});

}  // namespace tinyfleet
