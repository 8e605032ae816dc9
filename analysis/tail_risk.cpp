#include "analysis/tail_risk.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace tinyfleet {

std::optional<double> lower_quantile(std::vector<double> values, double p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const double n = static_cast<double>(values.size());
  // 1e-9 absorbs rounding of p·n (0.05·20 must give rank 1, not 2).
  const long rank = static_cast<long>(std::ceil(p * n - 1e-9)) - 1;
  const long last = static_cast<long>(values.size()) - 1;
  return values[static_cast<std::size_t>(std::clamp(rank, 0L, last))];
}

std::optional<double> cvar(std::vector<double> losses, double alpha) {
  if (losses.empty() || !(alpha > 0)) return std::nullopt;
  std::sort(losses.begin(), losses.end(), std::greater<>());
  const double m = std::min(alpha, 1.0) * static_cast<double>(losses.size());
  double whole = std::floor(m + 1e-9);
  whole = std::min(whole, static_cast<double>(losses.size()));
  double sum = 0;
  std::size_t i = 0;
  for (; i < static_cast<std::size_t>(whole); ++i) sum += losses[i];
  const double part = m - whole;
  if (part > 1e-9 && i < losses.size()) sum += part * losses[i];
  return sum / m;
}

TailRisk tail_risk(const std::vector<double>& accuracy_windows, double tick_s, double service_level,
                   double alpha) {
  TailRisk t;
  t.windows = accuracy_windows.size();
  if (accuracy_windows.empty()) return t;
  t.p5 = *lower_quantile(accuracy_windows, kTailPercentile);
  t.worst = *std::min_element(accuracy_windows.begin(), accuracy_windows.end());
  std::vector<double> losses;
  losses.reserve(accuracy_windows.size());
  for (double a : accuracy_windows) {
    losses.push_back(1.0 - a);
    if (a < service_level) t.time_below_s += tick_s;
  }
  t.cvar = *cvar(std::move(losses), alpha);
  return t;
}

}  // namespace tinyfleet
