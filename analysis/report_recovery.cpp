#include "analysis/report_recovery.hpp"

namespace tinyfleet {

bool find_recovery(const TimeSeries& accuracy_window, double drift_s, double until_s,
                   double epsilon, Recovery& out) {
  const auto& t = accuracy_window.t;
  const auto& v = accuracy_window.v;
  out = Recovery{};
  out.drift_s = drift_s;
  std::size_t before = t.size(), trough = t.size();
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] <= drift_s) {
      before = i;
    } else if (t[i] < until_s && (trough == t.size() || v[i] < v[trough])) {
      trough = i;
    }
  }
  if (before == t.size() || trough == t.size()) return false;
  out.level_before = v[before];
  out.trough = v[trough];
  out.trough_s = t[trough];
  out.dropped = out.trough < out.level_before - epsilon;
  if (!out.dropped) {
    out.recovered = true;
    out.recovered_s = drift_s;
    out.recovered_level = out.level_before;
    return true;
  }
  for (std::size_t i = trough + 1; i < t.size() && t[i] < until_s; ++i) {
    if (v[i] >= out.level_before - epsilon) {
      out.recovered = true;
      out.recovered_s = t[i];
      out.recovered_level = v[i];
      break;
    }
  }
  return true;
}

}  // namespace tinyfleet
